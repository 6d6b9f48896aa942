from django.db import migrations

# "イメージを小さくしたい" and "軽くする方法" mean the same as 軽量化 / slim; the
# starter group only had the last two. Editable in the admin afterwards.
OLD = "軽量化, slim"
NEW = "軽量化, 小さい, 軽い, slim, smaller, shrink"


def widen(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    if not Synonym.objects.filter(words=OLD).update(words=NEW):
        Synonym.objects.get_or_create(words=NEW)


def narrow(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.filter(words=NEW).update(words=OLD)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_word_ndoc"), ("lookup", "0002_command_synonyms")]
    operations = [migrations.RunPython(widen, narrow)]
