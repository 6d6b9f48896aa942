from django.db import migrations


class Migration(migrations.Migration):
    """HNSW indexes for the default model's 512 dimensions (the multilingual USE)."""

    dependencies = [("vectors", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS notechunk_hnsw_512 ON vectors_notechunk "
            "USING hnsw ((embedding::vector(512)) vector_cosine_ops) WHERE dims = 512",
            "DROP INDEX IF EXISTS notechunk_hnsw_512",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS entryvector_hnsw_512 ON vectors_entryvector "
            "USING hnsw ((embedding::vector(512)) vector_cosine_ops) WHERE dims = 512",
            "DROP INDEX IF EXISTS entryvector_hnsw_512",
        ),
    ]
