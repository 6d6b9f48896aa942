from django.db import migrations

# Command descriptions say "List …" where people say "show …" or 一覧: tldr's docker ps is
# "List currently running Docker containers", asked as "show running containers". A group
# of its own, so a team that edited the starter "show" group keeps its edit.
GROUP = "一覧, list, show"


def add(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    if not Synonym.objects.filter(words=GROUP).exists():
        Synonym.objects.create(words=GROUP)


def remove(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.filter(words=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("lookup", "0005_merge_20261207_0707"), ("search", "0006_synonym_generation")]
    operations = [migrations.RunPython(add, remove)]
