from django.db import migrations

# Starter synonym groups; editable in the admin afterwards.
GROUPS = [
    "削除, 破棄, 消す, 消去, remove, delete, rm",
    "起動, 立ち上げる, 開始, start",
    "停止, 止める, stop",
    "再起動, restart",
    "一覧, list, ls",
    "イメージ, image",
    "コンテナ, container",
    "ボリューム, volume",
    "ポート, port",
    "環境変数, env, environment",
    "ログ, log",
    "ビルド, build",
    "設定, config, configuration",
    "ネットワーク, network",
    "掃除, 片付け, prune, cleanup",
    "実行, exec, execute",
    "軽量化, slim",
    "マルチステージ, multi-stage, multistage",
    "コピー, copy, cp",
    "バックアップ, backup",
    "接続, connect",
]


def add(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.bulk_create(Synonym(words=g) for g in GROUPS)


def remove(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.filter(words__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
