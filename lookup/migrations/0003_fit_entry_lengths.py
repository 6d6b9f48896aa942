from django.db import migrations
from django.db.models.functions import Length


def fit_existing_rows(apps, schema_editor):
    # Derived entries are rebuilt from their notes, where over-long commands are
    # now skipped; a hand-written one is kept, cut to the limit, so the
    # constraints below can be added.
    Entry = apps.get_model("lookup", "Entry")
    long_command = Entry.objects.annotate(n=Length("command")).filter(n__gt=1000)
    long_command.exclude(origin="manual").delete()
    for entry in long_command.filter(origin="manual"):
        Entry.objects.filter(pk=entry.pk).update(command=entry.command[:1000])
    for entry in Entry.objects.annotate(n=Length("explanation")).filter(n__gt=2000):
        Entry.objects.filter(pk=entry.pk).update(explanation=entry.explanation[:2000])


class Migration(migrations.Migration):

    dependencies = [
        ("lookup", "0002_command_synonyms"),
        # Entry vectors must be in the migration state so deleting an entry deletes its vector.
        ("vectors", "0002_hnsw_512"),
    ]

    operations = [
        migrations.RunPython(fit_existing_rows, migrations.RunPython.noop),
    ]
