from django.db import migrations

# Synonym groups that task → command lookups lean on, added to the shared
# dictionary search started (search.0002); editable in the admin afterwards.
GROUPS = [
    "起動, run",
    "実行中, 稼働中, running",
    "文字列, パターン, string, pattern",
    "検索, 探す, search, find",
    "表示, 見る, show, display, print",
    "展開, 解凍, extract, unpack",
    "圧縮, compress",
    "作成, 作る, create",
    "マウント, mount",
    "コマンド, command",
    "プロセス, process",
    "ファイル, file",
    "ディレクトリ, フォルダ, directory, folder",
    "ダウンロード, download",
    "権限, パーミッション, permission",
    "鍵, キー, key",
    "ブランチ, branch",
    "名前変更, リネーム, rename",
]


def add(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    existing = set(Synonym.objects.values_list("words", flat=True))
    Synonym.objects.bulk_create(Synonym(words=g) for g in GROUPS if g not in existing)


def remove(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.filter(words__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("lookup", "0001_initial"), ("search", "0002_starter_synonyms")]
    operations = [migrations.RunPython(add, remove)]
