"""Tag pages and the list of all notes come in pages of NOTES_PER_PAGE rows."""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag, TaggedItem

from notes.models import Note
from notes.views import NOTES_PER_PAGE

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<a class="title" href="([^"]+)">')


@pytest.fixture
def many_tagged():
    """120 reference-like pages tagged tldr (bulk, as the tldr importer writes them)."""
    notes = Note.objects.bulk_create(
        [
            Note(title=f"page {i:03d}", slug=f"page-{i:03d}", body="x", import_key=f"tldr:en/common/p{i}")
            for i in range(120)
        ]
    )
    tag = Tag.objects.create(name="tldr", slug="tldr")
    ct = ContentType.objects.get_for_model(Note)
    TaggedItem.objects.bulk_create([TaggedItem(tag=tag, content_type=ct, object_id=n.pk) for n in notes])
    return notes


def rows(response) -> list[str]:
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


def test_a_big_tag_page_shows_one_page_of_rows_at_a_time(client, many_tagged):
    assert NOTES_PER_PAGE == 50
    first = client.get("/tags/tldr/")
    assert len(rows(first)) == NOTES_PER_PAGE
    assert rows(first)[0] == "/notes/page-000/"  # by title
    body = first.content.decode()
    assert "1 / 3" in body and 'rel="next" href="?page=2"' in body and "120" in body
    assert len(rows(client.get("/tags/tldr/", {"page": 2}))) == NOTES_PER_PAGE
    last = client.get("/tags/tldr/", {"page": 3})
    assert len(rows(last)) == 20 and rows(last)[-1] == "/notes/page-119/"
    # A page number past the end or not a number shows the nearest page, not an error.
    assert rows(client.get("/tags/tldr/", {"page": 99})) == rows(last)
    assert rows(client.get("/tags/tldr/", {"page": "x"})) == rows(first)


def test_home_links_to_all_notes_sorted_and_paginated(client, make_note, many_tagged):
    mine = make_note(title="チームのメモ", body="本文")
    home = client.get("/").content.decode()
    assert 'href="/notes/"' in home
    newest_first = rows(client.get("/notes/"))
    assert len(newest_first) == NOTES_PER_PAGE and newest_first[0] == mine.get_absolute_url()
    by_title = client.get("/notes/", {"sort": "title", "page": 3})
    assert len(rows(by_title)) == 121 - 2 * NOTES_PER_PAGE
    assert 'href="?sort=title&amp;page=2"' in by_title.content.decode()
    assert rows(client.get("/notes/", {"team": "1"})) == [mine.get_absolute_url()]
    # An unknown sort falls back to the default instead of failing.
    assert rows(client.get("/notes/", {"sort": "drop table"})) == newest_first
