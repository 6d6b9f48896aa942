"""Simultaneous creates with one title all keep their text (real PostgreSQL, real threads)."""

import re
import threading
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.db import IntegrityError, connection

from notes.models import Note

RACERS = 10


def _run_together(work) -> list:
    barrier = threading.Barrier(RACERS)
    results: list = [None] * RACERS

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_creates_over_http_keep_ten_texts(live_server, client, editor):
    client.force_login(editor)
    session = client.cookies["sessionid"].value
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(
        urllib.request.Request(f"{live_server.url}/notes/new/", headers={"Cookie": f"sessionid={session}"})
    ).read()
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1).decode()
    csrf_cookie = next(c.value for c in jar if c.name == "csrftoken")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def create(i: int) -> int:
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "title": "同じ題名", "body": f"本文 {i}", "tags": "競争, race"}
        ).encode()
        request = urllib.request.Request(
            f"{live_server.url}/notes/new/",
            data=body,
            headers={"Cookie": f"sessionid={session}; csrftoken={csrf_cookie}"},
        )
        try:
            return urllib.request.build_opener(NoRedirect).open(request, timeout=60).status
        except urllib.error.HTTPError as exc:
            return exc.code

    statuses = _run_together(create)
    assert statuses == [302] * RACERS
    notes = Note.objects.filter(title="同じ題名")
    assert sorted(notes.values_list("body", flat=True)) == sorted(f"本文 {i}" for i in range(RACERS))
    assert len(set(notes.values_list("slug", flat=True))) == RACERS
    assert all(set(n.tags.names()) == {"競争", "race"} for n in notes)


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_orm_creates_keep_ten_texts():
    def create(i: int) -> str:
        note = Note(title="Same title", body=f"text {i}")
        note.save_with_tags([f"new-tag-{i % 2}"])
        return note.slug

    slugs = _run_together(create)
    assert all(isinstance(s, str) for s in slugs), slugs
    assert sorted(slugs) == sorted(["same-title"] + [f"same-title-{n}" for n in range(2, RACERS + 1)])
    assert Note.objects.filter(title="Same title").count() == RACERS


@pytest.mark.django_db
def test_a_create_that_still_fails_keeps_the_text_in_the_form(editor_client, monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "note_slug_unique"')

    monkeypatch.setattr(Note, "save_with_tags", fail)
    response = editor_client.post("/notes/new/", {"title": "題", "body": "失いたくない文章", "tags": "a"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "失いたくない文章" in page and 'value="題"' in page
    assert not Note.objects.exists()
