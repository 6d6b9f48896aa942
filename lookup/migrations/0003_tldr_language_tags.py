"""Tag every imported tldr page with its language (lang:ja, lang:en).

Pages imported before the importer tagged languages get the tag here; new imports
tag themselves (lookup.tldr_import). Safe to run again: existing tags are kept.
"""

from django.db import migrations

PREFIX = "tldr:"


def tag_languages(apps, schema_editor):
    Note = apps.get_model("notes", "Note")
    Tag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="notes", model="note")
    by_language: dict[str, list[int]] = {}
    for pk, key in Note.objects.filter(import_key__startswith=PREFIX).values_list("pk", "import_key").iterator():
        language = key.removeprefix(PREFIX).split("/", 1)[0].lower()
        by_language.setdefault(language, []).append(pk)
    for language, ids in by_language.items():
        name = f"lang:{language}"
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(
            name=name, slug=f"lang-{language}"
        )
        TaggedItem.objects.bulk_create(
            [TaggedItem(tag=tag, content_type=ct, object_id=pk) for pk in ids],
            batch_size=2000,
            ignore_conflicts=True,
        )


def untag_languages(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    Tag.objects.filter(name__startswith="lang:").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lookup", "0002_command_synonyms"),
        ("notes", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(tag_languages, untag_languages)]
