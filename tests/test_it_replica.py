"""Read replica routing (DATABASE_REPLICA_URL): read-only pages read from the replica alias.

The "replica" alias points at the test database through a connection of its own, so which
connection ran a query shows where a real standby would have been asked.
"""

from __future__ import annotations

import re

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from kb import replica
from notes.models import Note

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def with_replica(settings):
    settings.KB_READ_REPLICA = True


def _note_selects(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "notes_note"' in q["sql"]]


def _get(client, url: str):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as standby,
    ):
        response = client.get(url)
    assert response.status_code == 200, url
    return _note_selects(primary.captured_queries), _note_selects(standby.captured_queries)


def test_read_only_pages_read_from_the_replica(with_replica, editor_client, make_note):
    make_note(title="ポート", slug="ports", body="docker run -p 8080:80 nginx\n", tags=["network"])
    for url in ["/notes/ports/", "/notes/", "/search/?q=docker", "/api/search?q=docker", "/tags/network/"]:
        primary, standby = _get(editor_client, url)
        assert standby and not primary, url
    # Search's own SQL (raw cursors on the lexical index) follows the router too.
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as standby,
    ):
        assert editor_client.get("/api/search?q=docker").json()["results"]
    assert any("search_" in q["sql"] for q in standby.captured_queries)
    assert not any("search_" in q["sql"] for q in primary.captured_queries)
    # The edit form is not a read-only view: it must see the latest revision.
    primary, standby = _get(editor_client, "/notes/ports/edit/")
    assert primary and not standby


def test_a_visitors_own_write_keeps_their_next_pages_on_the_primary(with_replica, editor_client, make_note):
    make_note(title="ポート", slug="ports", body="old\n", tags=["network"])
    html = editor_client.get("/notes/ports/edit/").content.decode()
    base = re.search(r'name="base_revision" value="(\d+)"', html).group(1)
    response = editor_client.post(
        "/notes/ports/edit/", {"title": "ポート", "tags": "network", "body": "new\n", "base_revision": base}
    )
    assert response.status_code == 302
    cookie = response.cookies[replica.STICKY_COOKIE]
    assert cookie["max-age"] == 15 and cookie["httponly"]
    primary, standby = _get(editor_client, "/notes/ports/")
    assert primary and not standby
    # Once the cookie has expired, reads go back to the replica.
    editor_client.cookies.pop(replica.STICKY_COOKIE)
    primary, standby = _get(editor_client, "/notes/ports/")
    assert standby and not primary


def test_writes_go_to_the_primary_even_for_objects_read_from_the_replica(with_replica, make_note):
    make_note(title="ポート", slug="ports", body="old\n")
    note = Note.objects.using("replica").get(slug="ports")
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as standby,
    ):
        note.title = "変更"
        note.save()
    assert any(q["sql"].startswith("UPDATE") for q in primary.captured_queries)
    assert not any(q["sql"].startswith("UPDATE") for q in standby.captured_queries)
    assert Note.objects.get(slug="ports").title == "変更"


def test_without_a_replica_nothing_reads_from_it(editor_client, make_note):
    make_note(title="ポート", slug="ports", body="docker\n")
    primary, standby = _get(editor_client, "/notes/ports/")
    assert primary and not standby
    assert "kb_primary" not in editor_client.post("/accounts/logout/").cookies
