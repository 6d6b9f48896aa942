"""Entry tags as the cheatsheet looks them up (EntryQuerySet.tagged): NFKC and lower case.
Entries of notes tagged ＤＯＣＫＥＲ by earlier kb kept the full-width spelling, so
/cheatsheet/docker/ missed them."""

from django.db import migrations

SQL = """
UPDATE lookup_entry SET tags = ARRAY(
    SELECT t FROM (
        SELECT DISTINCT ON (t) t, n
        FROM unnest(tags) WITH ORDINALITY AS u(raw, n), lower(normalize(btrim(raw), NFKC)) AS t
        ORDER BY t, n
    ) AS d ORDER BY n
)
WHERE EXISTS (SELECT 1 FROM unnest(tags) AS raw WHERE raw <> lower(normalize(btrim(raw), NFKC)))
"""


class Migration(migrations.Migration):
    dependencies = [("lookup", "0006_list_synonyms"), ("notes", "0004_merge_width_duplicate_tags")]
    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
