import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.contrib.postgres.operations import CreateExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("notes", "0001_initial")]

    operations = [
        CreateExtension("pg_trgm"),
        CreateExtension("fuzzystrmatch"),
        migrations.CreateModel(
            name="Synonym",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("words", models.TextField(help_text="Equivalent words, separated by commas.", verbose_name="words")),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "synonym group",
                "verbose_name_plural": "synonym groups",
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("words", ""), _negated=True), name="synonym_words_not_empty")
                ],
            },
        ),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "note",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="notes.note",
                    ),
                ),
                ("document", django.contrib.postgres.search.SearchVectorField()),
                ("title_vector", django.contrib.postgres.search.SearchVectorField()),
                ("title_key", models.CharField(max_length=200)),
                ("plain", models.TextField(blank=True)),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(fields=["document"], name="searchdoc_document_gin"),
                    django.contrib.postgres.indexes.GinIndex(fields=["title_vector"], name="searchdoc_title_gin"),
                    models.Index(fields=["title_key"], name="searchdoc_title_key_idx"),
                ],
            },
        ),
        migrations.CreateModel(
            name="Word",
            fields=[("word", models.CharField(max_length=100, primary_key=True, serialize=False))],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        django.contrib.postgres.indexes.OpClass("word", name="gin_trgm_ops"), name="word_trgm_gin"
                    ),
                ],
            },
        ),
    ]
