from django.db import migrations, models


class Migration(migrations.Migration):
    """Mark entries taken from reference pages, and index the team's own entries apart."""

    dependencies = [("vectors", "0004_notechunk_reference"), ("lookup", "0006_list_synonyms")]

    operations = [
        migrations.AddField(model_name="entryvector", name="reference", field=models.BooleanField(default=False)),
        migrations.RunSQL(
            "UPDATE vectors_entryvector v SET reference = true FROM lookup_entry e"
            " WHERE e.id = v.entry_id AND e.origin = 'tldr'",
            migrations.RunSQL.noop,
        ),
    ]
    operations += [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS entryvector_own_hnsw_{dims} ON vectors_entryvector "
            f"USING hnsw ((embedding::vector({dims})) vector_cosine_ops) WHERE dims = {dims} AND NOT reference",
            f"DROP INDEX IF EXISTS entryvector_own_hnsw_{dims}",
        )
        for dims in (384, 512)
    ]
