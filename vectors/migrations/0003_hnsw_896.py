from django.db import migrations


class Migration(migrations.Migration):
    """HNSW index for the default blend's note passages (USE 512 + e5 384 = 896 dimensions).

    Lookup entries stay on USE's 512 (vectors.backends.Blend.part), which 0002 indexes.
    """

    dependencies = [("vectors", "0002_hnsw_512")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS notechunk_hnsw_896 ON vectors_notechunk "
            "USING hnsw ((embedding::vector(896)) vector_cosine_ops) WHERE dims = 896",
            "DROP INDEX IF EXISTS notechunk_hnsw_896",
        ),
    ]
