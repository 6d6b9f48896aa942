"""Notes saved with a slug that names a page of its own (/notes/new/) get the next free one."""

from django.db import migrations

RESERVED = ("new",)


def rename(apps, schema_editor):
    Note = apps.get_model("notes", "Note")
    for note in Note.objects.filter(slug__in=RESERVED):
        n = 2
        while Note.objects.filter(slug=f"{note.slug}-{n}").exists():
            n += 1
        note.slug = f"{note.slug}-{n}"
        note.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
