from django.db import migrations


def reindex(apps, schema_editor):
    # Inline code spans of one paragraph were indexed as one token (search.indexing._Sections):
    # rebuild every document from the notes' stored HTML, with the historical models so
    # that a later change to notes cannot break this step.
    Note = apps.get_model("notes", "Note")
    if not Note.objects.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    note_type = ContentType.objects.filter(app_label="notes", model="note").first()
    tags: dict[int, list[str]] = {}
    if note_type:
        for note_id, name in TaggedItem.objects.filter(content_type=note_type).values_list(
            "object_id", "tag__name"
        ):
            tags.setdefault(note_id, []).append(name)
    from search.indexing import reindex_all

    reindex_all(notes=Note.objects.order_by("pk").only("pk", "title", "body_html"), tags=tags)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_synonym_generation"),
        ("notes", "0001_initial"),
        ("taggit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(reindex, migrations.RunPython.noop),
    ]
