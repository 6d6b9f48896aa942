import pytest
from django.core.management import CommandError, call_command

from notes.exporting import export_notes
from notes.importing import import_paths
from notes.models import Note

pytestmark = pytest.mark.django_db


def test_it_splits_a_long_file_into_one_note_per_section(fixtures_dir):
    report = import_paths([fixtures_dir / "split" / "long.md"], split=True)
    assert report.errors == []
    titles = list(Note.objects.order_by("id").values_list("title", flat=True))
    assert titles == ["Pod を一覧する", "Pod のログ", "Pod のログ"]
    logs = Note.objects.get(slug="pod-のログ")
    # ### stays inside the note; a '## ' inside a code block is not a section.
    assert "### 前のコンテナのログ" in logs.body
    assert "# ## this is not a heading" in logs.body
    assert not logs.body.rstrip().endswith("---")
    assert Note.objects.get(slug="pod-のログ-2").body.startswith("同じ見出しが二度ある")
    assert all(list(n.tags.names()) == ["Kubernetes"] for n in Note.objects.all())


def test_a_section_with_only_its_heading_is_not_a_note(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("## スクリプト関連\n## 設定を渡す\n\n環境変数で渡す。\n\n## 空\n\n---\n")
    report = import_paths([path], split=True)
    assert list(Note.objects.values_list("title", flat=True)) == ["設定を渡す"]
    assert [w for _, w in report.warnings] == [
        "section 'スクリプト関連' has no text: not imported",
        "section '空' has no text: not imported",
    ]


def test_a_reimport_says_when_it_replaces_an_edit_made_in_kb(tmp_path, editor_client):
    path = tmp_path / "notes.md"
    path.write_text("## 起動\n\ndocker start で起動する。\n\n## 停止\n\ndocker stop で止める。\n")
    import_paths([path], split=True)
    note = Note.objects.get(title="起動")
    editor_client.post(
        f"/notes/{note.slug}/edit/",
        {"title": "起動", "body": "docker start -a で起動する。\n", "tags": "", "base_revision": "1"},
    )
    assert "-a" in Note.objects.get(pk=note.pk).body
    path.write_text("## 起動\n\ndocker start で起動する。\n\n## 停止\n\ndocker stop -t 5 で止める。\n")
    report = import_paths([path], split=True)
    assert sorted(report.updated) == ["停止", "起動"]
    # Only the note edited here is named: 停止 changed in the file alone.
    assert len(report.warnings) == 1
    assert "'起動' was edited in kb since it was last imported" in report.warnings[0][1]
    assert f"/notes/{note.slug}/history/" in report.warnings[0][1]
    # Unchanged since: nothing to say.
    assert import_paths([path], split=True).warnings == []


def test_it_does_not_duplicate_on_reimport(fixtures_dir):
    import_paths([fixtures_dir / "split" / "long.md"], split=True)
    ids = set(Note.objects.values_list("id", flat=True))
    report = import_paths([fixtures_dir / "split" / "long.md"], split=True)
    assert set(Note.objects.values_list("id", flat=True)) == ids
    assert len(report.unchanged) == 3 and report.created == [] and report.updated == []


def test_it_updates_changed_sections_on_reimport(copy_fixture):
    path = copy_fixture("split")
    import_paths([path / "long.md"], split=True)
    text = (path / "long.md").read_text().replace("kubectl get pods -A", "kubectl get pods -o wide")
    (path / "long.md").write_text(text)
    report = import_paths([path / "long.md"], split=True)
    assert report.updated == ["Pod を一覧する"]
    assert "-o wide" in Note.objects.get(slug="pod-を一覧する").body


def test_it_reads_front_matter(copy_fixture, settings):
    folder = copy_fixture("import")
    report = import_paths([folder / "front.md"])
    note = Note.objects.get(slug="publish-ports")
    assert note.title == "ポートの公開: -p オプション"
    assert sorted(note.tags.names()) == ["docker", "network"]
    assert note.body.startswith("`docker run -p 8080:80 nginx`")
    # A present image is copied into media; a missing one is reported, not fatal.
    assert "/media/imported/" in note.body
    assert any((settings.MEDIA_ROOT / "imported").iterdir())
    assert report.warnings == [(str(folder / "front.md"), "image not found: images/missing.png")]


def test_it_reports_bad_files_and_imports_the_rest(fixtures_dir):
    report = import_paths([fixtures_dir / "import"])
    errors = {name.rsplit("/", 1)[-1]: reason for name, reason in report.errors}
    assert set(errors) == {"bad-frontmatter.md", "latin1.md", "nul.md"}
    assert "not valid YAML" in errors["bad-frontmatter.md"]
    assert "not valid UTF-8" in errors["latin1.md"] and "0xe9" in errors["latin1.md"]
    assert "NUL" in errors["nul.md"]
    assert set(Note.objects.values_list("title", flat=True)) == {
        "ポートの公開: -p オプション",
        "見出しがタイトル",
    }


def test_it_rolls_back_a_file_that_fails_half_way(tmp_path, settings):
    settings.KB_MAX_BODY_CHARS = 50
    (tmp_path / "mixed.md").write_text("## small\n\nok\n\n## big\n\n" + "x" * 100 + "\n")
    report = import_paths([tmp_path / "mixed.md"], split=True)
    assert len(report.errors) == 1 and "the limit is 50 (KB_MAX_BODY_CHARS)" in report.errors[0][1]
    assert Note.objects.count() == 0


@pytest.mark.parametrize(
    "text, reason",
    [
        ("---\ntitle: x\nno closing fence\n", "not closed"),
        ("---\n- just\n- a list\n---\nbody\n", "mapping"),
        ("---\ntitle: ''\n---\nbody\n", "title is empty"),
        ("---\ntitle: x\nslug: 'a b/c'\n---\nbody\n", "slug"),
        ("---\ntitle: x\ntags: {a: 1}\n---\nbody\n", "tags must be"),
        ('---\ntitle: "ESC \\e[31mred"\n---\nbody\n', "control character (U+001B)"),
    ],
)
def test_it_explains_broken_front_matter(tmp_path, text, reason):
    (tmp_path / "broken.md").write_text(text)
    report = import_paths([tmp_path / "broken.md"])
    assert len(report.errors) == 1 and reason in report.errors[0][1]
    assert Note.objects.count() == 0


def test_it_round_trips_export_import_export_losslessly(fixtures_dir, tmp_path, django_db_blocker):
    import_paths([fixtures_dir / "split" / "long.md"], split=True)
    import_paths([fixtures_dir / "import"])
    note = Note.objects.get(slug="publish-ports")
    note.body += "\n末尾に空白   \n\n\ttab\n"
    note.save()
    first = tmp_path / "first"
    export_notes(first)

    Note.objects.all().delete()
    report = import_paths([first])
    assert report.errors == []
    second = tmp_path / "second"
    export_notes(second)

    files = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    # Five notes and the one image they show, beside them under media/.
    assert len(files) == 6 and sum(f.startswith("media/imported/") for f in files) == 1
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_front_matter_kb_does_not_read_comes_back_on_export(tmp_path):
    from history.models import Revision

    source = tmp_path / "in"
    source.mkdir()
    head = "author: 山田\ndate: 2024-01-31\naliases:\n- old-name\ndraft: false\n"
    (source / "extra.md").write_text(f"---\ntitle: 手順\nslug: tejun\n{head}---\n本文\n", encoding="utf-8")
    assert import_paths([source]).errors == []
    assert "extra.md" in Revision.objects.get().summary
    out = tmp_path / "out"
    export_notes(out)
    text = (out / "tejun.md").read_text(encoding="utf-8")
    assert text == f"---\ntitle: 手順\nslug: tejun\ntags: []\n{head}---\n本文\n"
    # Importing the export again changes nothing; a changed key is an update.
    assert import_paths([out]).unchanged == ["手順"]
    (out / "tejun.md").write_text(text.replace("山田", "佐藤"), encoding="utf-8")
    assert import_paths([out]).updated == ["手順"]
    assert "佐藤" in Note.objects.get().front_matter


def test_extra_front_matter_comes_back_as_written(tmp_path):
    """Values YAML would rewrite (`yes`, `~`, `0755`, a timestamp, a comment) come back exactly."""
    source = tmp_path / "in"
    source.mkdir()
    head = (
        "# written by the wiki export\nauthor: 山田  # the owner\ndraft: yes\nparent: ~\nmode: 0755\n"
        "updated: 2024-01-02T03:04:05\naliases:\n  - old-name\n"
    )
    (source / "x.md").write_text(
        f"---\ntitle: 手順\n{head}slug: tejun\ntags: [a]\n---\n本文\n", encoding="utf-8"
    )
    assert import_paths([source]).errors == []
    out = tmp_path / "out"
    export_notes(out)
    text = (out / "tejun.md").read_text(encoding="utf-8")
    assert text == f"---\ntitle: 手順\nslug: tejun\ntags:\n- a\n{head}---\n本文\n"
    assert import_paths([out]).unchanged == ["手順"]
    # A `|` block with blank lines inside, and one that is the last key.
    block = "desc: |\n  line one\n\n  line three\n\nkeep: >-\n  folded\n  text\nlast: |\n  a\n  b\n"
    (source / "x.md").write_text(f"---\ntitle: 手順\nslug: tejun\n{block}---\n本文\n", encoding="utf-8")
    import_paths([source])
    assert Note.objects.get().front_matter == block
    # Flow style has no lines of its own per key: the keys are written out again instead.
    (source / "x.md").write_text(
        "---\n{title: 手順, slug: tejun, author: 山田}\n---\n本文\n", encoding="utf-8"
    )
    import_paths([source])
    assert Note.objects.get().front_matter == "author: 山田\n"


def test_comments_on_the_keys_kb_writes_itself_are_kept(tmp_path):
    # kb writes title, slug and tags first, in its own style; what the file said about them
    # stays, as comment lines among the other keys, and a second round trip keeps it so.
    source = tmp_path / "in"
    source.mkdir()
    (source / "x.md").write_text(
        "---\n# ファイル全体の説明コメント\ntitle: コメント保持テスト  # タイトルの注記\n"
        "# author の前のコメント\nauthor: 花子\ntags:\n  - docker  # 主要タグ\n# 末尾コメント\n---\n本文\n",
        encoding="utf-8",
    )
    assert import_paths([source]).errors == []
    note = Note.objects.get()
    assert note.title == "コメント保持テスト" and note.tags.names()[0] == "docker"
    kept = "# ファイル全体の説明コメント\n# タイトルの注記\n# author の前のコメント\nauthor: 花子\n# 主要タグ\n# 末尾コメント\n"
    assert note.front_matter == kept
    out = tmp_path / "out"
    export_notes(out)
    (path,) = out.glob("*.md")
    assert path.read_text(encoding="utf-8").endswith(f"tags:\n- docker\n{kept}---\n本文\n")
    assert import_paths([out]).unchanged == ["コメント保持テスト"]
    # Only comments beside kb's keys, and a `#` inside a quoted title, which is no comment.
    (source / "x.md").write_text('---\n# 説明\ntitle: "C # メモ"\n---\n本文\n', encoding="utf-8")
    import_paths([source])
    note = Note.objects.get()
    assert (note.title, note.front_matter) == ("C # メモ", "# 説明\n")


def test_two_files_with_one_slug_are_refused_not_merged(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.md").write_text(
        "---\ntitle: 一つ目\nslug: same\ntags: [x]\n---\n最初の本文\n", encoding="utf-8"
    )
    (source / "b.md").write_text("---\ntitle: 二つ目\nslug: same\n---\n別の本文\n", encoding="utf-8")
    report = import_paths([source])
    assert report.created == ["一つ目"] and report.updated == []
    [(name, reason)] = report.errors
    assert name.endswith("b.md") and "'same'" in reason and "a.md" in reason
    note = Note.objects.get(slug="same")
    assert (note.title, note.body, list(note.tags.names())) == ("一つ目", "最初の本文\n", ["x"])
    # Another run may update it: the rule is one file per slug in one import.
    assert import_paths([source / "b.md"]).updated == ["二つ目"]
    # Slugs that differ only in case or width are one slug: in one import, and against a note.
    other = tmp_path / "other"
    other.mkdir()
    (other / "c.md").write_text("---\ntitle: 三つ目\nslug: Same\n---\n本文\n", encoding="utf-8")
    (other / "d.md").write_text("---\ntitle: 四つ目\nslug: ｓａｍｅ\n---\n本文\n", encoding="utf-8")
    report = import_paths([other])
    assert report.created == [] and len(report.errors) == 2
    assert all("/notes/same/" in reason and "case or width" in reason for _, reason in report.errors)
    assert list(Note.objects.values_list("slug", flat=True)) == ["same"]


def test_the_commands_report_and_fail_on_bad_files(fixtures_dir, capsys):
    with pytest.raises(CommandError, match="3 file"):
        call_command("import_notes", str(fixtures_dir / "import"))
    captured = capsys.readouterr()
    assert "latin1.md: not valid UTF-8" in captured.err
    assert "2 created" in captured.out


def test_the_export_command_writes_files(make_note, tmp_path, capsys):
    make_note(title="エクスポート", body="本文\n", tags=["a"])
    call_command("export_notes", str(tmp_path / "out"))
    text = (tmp_path / "out" / "エクスポート.md").read_text()
    assert text == "---\ntitle: エクスポート\nslug: エクスポート\ntags:\n- a\n---\n本文\n"


def test_starter_notes_load_only_into_an_empty_database(capsys):
    call_command("load_starter_notes")
    count = Note.objects.count()
    assert 15 <= count <= 25
    call_command("load_starter_notes")
    assert Note.objects.count() == count
    assert "not loaded" in capsys.readouterr().out


def test_it_copies_only_real_images(tmp_path, settings):
    (tmp_path / "secret.png").write_text("SECRET_KEY=abc")
    (tmp_path / "notes.md").write_text("---\ntitle: t\n---\n![a](secret.png) ![b](../../etc/passwd)\n")
    report = import_paths([tmp_path / "notes.md"])
    reasons = [message for _, message in report.warnings]
    assert any("not copied: secret.png" in r for r in reasons)
    assert any("../../etc/passwd" in r for r in reasons)
    assert not (settings.MEDIA_ROOT / "imported").exists()
    assert "](secret.png)" in Note.objects.get(title="t").body
