from django.db import migrations, models


class Migration(migrations.Migration):
    """Mark reference pages' passages, and index the team's own passages apart (vectors.index.OWN)."""

    dependencies = [("vectors", "0003_hnsw_896"), ("notes", "0001_initial")]

    operations = [
        migrations.AddField(model_name="notechunk", name="reference", field=models.BooleanField(default=False)),
        migrations.RunSQL(
            "UPDATE vectors_notechunk c SET reference = true FROM notes_note n"
            " WHERE n.id = c.note_id AND starts_with(coalesce(n.import_key, ''), 'tldr:')",
            migrations.RunSQL.noop,
        ),
    ]
    operations += [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS notechunk_own_hnsw_{dims} ON vectors_notechunk "
            f"USING hnsw ((embedding::vector({dims})) vector_cosine_ops) WHERE dims = {dims} AND NOT reference",
            f"DROP INDEX IF EXISTS notechunk_own_hnsw_{dims}",
        )
        for dims in (384, 512, 896)
    ]
