"""tldr alias pages and the word list learnt from tldr's two languages."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from lookup import lexicon
from lookup.models import Entry
from notes.models import Note
from search.models import Translation
from search.queries import search

pytestmark = pytest.mark.django_db


def test_alias_pages_lead_to_the_original_commands(fixtures_dir):
    call_command("import_tldr", str(fixtures_dir / "aliases" / "tldr"))
    alias = Note.objects.get(import_key="tldr:en/common/kbls")
    assert sorted(Entry.objects.filter(note=alias).values_list("command", flat=True)) == [
        "kbtool list",
        "kbtool list --sizes",
    ]
    # The Japanese alias has no Japanese original: it gets the English one's commands.
    ja = Note.objects.get(import_key="tldr:ja/common/kbls")
    assert Entry.objects.filter(note=ja).count() == 2
    assert [e.command for e in Entry.objects.lookup("kbls", 3)][:1] == ["kbtool list"]
    # Importing again changes nothing.
    before = Entry.objects.count()
    call_command("rebuild_lookup")
    assert Entry.objects.count() == before


def test_examples_of_one_page_in_two_languages_are_aligned_by_command_shape():
    ja = [("ファイルを削除する", "kbrm {{ファイル}}"), ("強制的に削除する", "kbrm -f {{ファイル}}")]
    en = [("Forcibly remove a file", "kbrm -f {{file}}"), ("Remove a file", "kbrm {{file}}")]
    assert lexicon.align(ja, en) == [
        ("ファイルを削除する", "Remove a file"),
        ("強制的に削除する", "Forcibly remove a file"),
    ]


def test_words_that_keep_appearing_together_translate_each_other():
    pairs = [
        ("シンボリックリンクを作成する", "Create a symbolic link"),
        ("シンボリックリンクを削除する", "Remove a symbolic link"),
        ("ディレクトリを削除する", "Remove a directory"),
        ("ディレクトリを作成する", "Create a directory"),
        ("ログを表示する", "Display the logs"),
        ("設定を表示する", "Display the configuration"),
    ]
    found = {(j, e) for j, e, _ in lexicon.mine(pairs)}
    assert ("削除", "remove") in found and ("作成", "create") in found and ("表示", "display") in found
    assert ("削除", "create") not in found


def test_learnt_words_let_a_japanese_query_find_an_english_page(fixtures_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(lexicon, "MIN_EXAMPLES", 1)  # a corpus of three aligned examples
    root = tmp_path / "tldr"
    (root / "pages" / "common").mkdir(parents=True)
    (root / "pages.ja" / "common").mkdir(parents=True)
    for name, en, ja in [
        ("kba", "Remove a widget", "ウィジェットを削除する"),
        ("kbb", "Remove a gadget", "ガジェットを削除する"),
        ("kbc", "Remove all caches", "キャッシュを全て削除する"),
    ]:
        (root / "pages" / "common" / f"{name}.md").write_text(
            f"# {name}\n\n> Tool.\n\n- {en}:\n\n`{name} rm`\n"
        )
        (root / "pages.ja" / "common" / f"{name}.md").write_text(
            f"# {name}\n\n> ツール。\n\n- {ja}:\n\n`{name} rm`\n"
        )
    (root / "pages" / "common" / "kbonly.md").write_text(
        "# kbonly\n\n> Tool.\n\n- Remove a sprocket:\n\n`kbonly prune`\n"
    )
    (root / "pages" / "common" / "kbadd.md").write_text(
        "# kbadd\n\n> Tool.\n\n- Add a sprocket:\n\n`kbadd sprocket`\n"
    )
    call_command("import_tldr", str(root))
    assert Translation.objects.filter(word="削除", translation="remove").exists()
    # "sprocket" is on two English-only pages; only the learnt 削除 → remove tells them apart.
    top = [e.command for e in Entry.objects.lookup("sprocket を削除したい", 3)]
    assert top[0] == "kbonly prune"
    assert search("削除").ids  # the learnt word is a query alternative for notes too


def test_a_few_pages_in_two_languages_teach_no_words(tmp_path):
    root = tmp_path / "tldr"
    (root / "pages" / "common").mkdir(parents=True)
    (root / "pages.ja" / "common").mkdir(parents=True)
    for name in ("kba", "kbb", "kbc"):
        (root / "pages" / "common" / f"{name}.md").write_text(
            f"# {name}\n\n> Tool.\n\n- Start a container:\n\n`{name} start`\n\n- Stop a container:\n\n`{name} stop`\n"
        )
        (root / "pages.ja" / "common" / f"{name}.md").write_text(
            f"# {name}\n\n> ツール。\n\n- コンテナを起動する:\n\n`{name} start`\n\n- コンテナを停止する:\n\n`{name} stop`\n"
        )
    call_command("import_tldr", str(root))
    # Six examples: コンテナ is with "start" on half of them, which says nothing.
    assert not Translation.objects.exists()
    assert lexicon.mine(
        [("コンテナを起動する", "Start a container")] * 2 + [("コンテナを停止する", "Stop a container")] * 2
    )
