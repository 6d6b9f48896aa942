from django.db import migrations


class Migration(migrations.Migration):
    """A counter bumped on every synonym or translation change, so each web process can see
    within seconds that its cached groups are out of date (search.synonyms)."""

    dependencies = [
        ("search", "0005_translation"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS search_synonym_generation",
            "DROP SEQUENCE IF EXISTS search_synonym_generation",
        ),
    ]
