"""Give every note that exists before history was added its revision 1."""

from django.db import migrations


def first_revisions(apps, schema_editor):
    Note = apps.get_model("notes", "Note")
    Revision = apps.get_model("history", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    content_type = ContentType.objects.filter(app_label="notes", model="note").first()
    have = set(Revision.objects.values_list("note_key", flat=True))
    for note in Note.objects.exclude(pk__in=have).iterator():
        tags = []
        if content_type is not None:
            tags = sorted(
                TaggedItem.objects.filter(content_type=content_type, object_id=note.pk).values_list(
                    "tag__name", flat=True
                ),
                key=str.lower,
            )
        Revision.objects.create(
            note=note,
            note_key=note.pk,
            number=1,
            title=note.title,
            slug=note.slug,
            body=note.body,
            tags=tags,
            author_id=note.author_id,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0001_initial"),
        ("notes", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(first_revisions, migrations.RunPython.noop)]
