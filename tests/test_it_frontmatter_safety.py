"""Front matter cannot blow up an import: aliases refused, size capped, messages short."""

import time

import pytest
from django.core.management import CommandError, call_command

from notes import frontmatter
from notes.importing import import_paths
from notes.models import Note

pytestmark = pytest.mark.django_db


def test_the_alias_bomb_is_rejected_in_under_a_second(fixtures_dir, capsys):
    bomb = fixtures_dir / "hostile" / "alias-bomb.md"
    assert bomb.stat().st_size < 400
    start = time.perf_counter()
    with pytest.raises(CommandError):
        call_command("import_notes", str(bomb))
    assert time.perf_counter() - start < 1.0
    err = capsys.readouterr().err
    assert "aliases" in err and "not allowed" in err
    assert max(len(line) for line in err.splitlines()) < 400
    assert not Note.objects.exists()


def test_a_single_alias_is_refused_too():
    with pytest.raises(frontmatter.FrontMatterError, match="aliases"):
        frontmatter.split("---\nbase: &b docker\ntitle: *b\n---\nbody\n")
    # Anchors alone are harmless; plain front matter still reads.
    meta, body = frontmatter.split("---\ntitle: &t ok\ntags: [a, b]\n---\nbody\n")
    assert meta == {"title": "ok", "tags": ["a", "b"]} and body == "body\n"


def test_oversized_front_matter_is_refused(tmp_path):
    path = tmp_path / "big.md"
    path.write_text("---\ntitle: big\nx: '" + "a" * 70_000 + "'\n---\nbody\n")
    report = import_paths([path])
    assert report.errors and "longer than" in report.errors[0][1]
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    "head",
    [
        "title: t\nslug: [" + ", ".join(["verylongitem" * 20] * 200) + "]",
        "title: t\ntags: [{a: " + "b" * 5000 + "}]",
        "title: {k: " + "v" * 5000 + "}",
        "title: t\ntags: [" + ", ".join(f"t{i}" for i in range(60)) + "]",
        "title: t\n  bad: [unclosed " + "x" * 5000,
    ],
    ids=["list-slug", "mapping-tag", "mapping-title", "many-tags", "broken-yaml"],
)
def test_errors_from_file_content_are_cut_short(tmp_path, head):
    path = tmp_path / "odd.md"
    path.write_text(f"---\n{head}\n---\nbody\n")
    report = import_paths([path])
    assert len(report.errors) == 1, report
    assert len(report.errors[0][1]) <= frontmatter.MAX_MESSAGE_CHARS
    assert not Note.objects.exists()


def test_a_split_files_overlong_title_tag_is_a_reported_error(tmp_path):
    path = tmp_path / "long.md"
    path.write_text("# " + "長" * 150 + "\n\n## 節\n\n本文\n")
    report = import_paths([path], split=True)
    assert report.errors and "tag is longer than 100" in report.errors[0][1]
    assert not Note.objects.exists()
