"""One word for a note in every catalog and page: ノート, never メモ."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# メモ as the word for a note; メモリ (memory) is another word.
MEMO = re.compile(r"メモ(?!リ)")


def _catalogs() -> list[Path]:
    return sorted(p for p in ROOT.glob("**/locale/ja/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def test_catalogs_say_note_one_way():
    catalogs = _catalogs()
    assert len(catalogs) >= 3  # the project's, lookup's and search's
    for po in catalogs:
        translations = re.findall(r'^msgstr(?:\[\d\])? (".*"(?:\n".*")*)', po.read_text(), re.MULTILINE)
        for text in translations:
            assert not MEMO.search(text), f"{po}: {text}"


def test_templates_and_scripts_say_note_one_way():
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/js/*.js")]:
        assert not MEMO.search(path.read_text()), path


@pytest.mark.django_db
def test_pages_say_note_one_way(client, make_note):
    note = make_note(title="手順", body="本文")
    for url in ["/", note.get_absolute_url(), "/tags/", "/search/?q=x", "/lookup/", "/nope/", "/changes/"]:
        html = client.get(url).content.decode()
        assert not MEMO.search(html), url
