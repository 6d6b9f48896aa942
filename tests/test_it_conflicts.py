"""No lost edits: a save based on an old revision is refused, the text kept."""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest
from django.test import Client

from history.models import Revision
from notes.models import Note


def _base(html: str) -> str:
    return re.search(r'name="base_revision" value="(\d+)"', html).group(1)


def _edit_form(client: Client, slug: str) -> dict:
    html = client.get(f"/notes/{slug}/edit/").content.decode()
    return {"title": "ポート", "tags": "network", "base_revision": _base(html)}


@pytest.mark.django_db
def test_it_refuses_the_second_of_two_concurrent_edits_and_keeps_its_text(
    editor, django_user_model, make_note
):
    make_note(title="ポート", slug="ports", body="docker run -p 8080:80 nginx\n", tags=["network"])
    other = django_user_model.objects.create_user("hanako", password="pw")
    other.groups.add(*editor.groups.all())
    alice, bob = Client(), Client()
    alice.force_login(editor)
    bob.force_login(other)
    form_a, form_b = _edit_form(alice, "ports"), _edit_form(bob, "ports")

    response = alice.post("/notes/ports/edit/", {**form_a, "body": "docker run -p 127.0.0.1:8080:80 nginx\n"})
    assert response.status_code == 302

    bobs_text = "docker run -p 8080:80 nginx\n\n外部に公開しないこと。\n"
    response = bob.post("/notes/ports/edit/", {**form_b, "body": bobs_text, "message": "注意を追加"})
    assert response.status_code == 409
    html = response.content.decode()
    # Bob's text is still in the form, Alice's version and the difference are shown.
    assert "外部に公開しないこと。" in html and 'id="id_body"' in html
    assert 'class="theirs"' in html and "127.0.0.1:8080:80" in html
    assert "<del>127.0.0.1:</del>" in html and "<ins>外部に公開しないこと。</ins>" in html
    assert "editor" in html
    assert Note.objects.get(slug="ports").body == "docker run -p 127.0.0.1:8080:80 nginx\n"

    # Bob merges and saves again from the conflict page, which carries the new base.
    merged = "docker run -p 127.0.0.1:8080:80 nginx\n\n外部に公開しないこと。\n"
    response = bob.post("/notes/ports/edit/", {**form_b, "base_revision": _base(html), "body": merged})
    assert response.status_code == 302
    note = Note.objects.get(slug="ports")
    assert note.body == merged
    bodies = [r.body for r in Revision.objects.of(note.pk)]
    assert bodies == [merged, "docker run -p 127.0.0.1:8080:80 nginx\n", "docker run -p 8080:80 nginx\n"]


@pytest.mark.django_db
def test_it_keeps_the_text_when_the_note_was_deleted_meanwhile(editor_client, make_note):
    make_note(title="消す", slug="gone", body="古い")
    form = _edit_form(editor_client, "gone")
    Note.objects.get(slug="gone").delete()
    response = editor_client.post(
        "/notes/gone/edit/", {**form, "title": "消す", "body": "書きかけの大事な文"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "書きかけの大事な文" in html and 'action="/notes/new/"' in html


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def _open_form(base_url: str, cookie: str) -> tuple[dict, str]:
    request = urllib.request.Request(f"{base_url}/notes/ports/edit/", headers={"Cookie": cookie})
    with urllib.request.urlopen(request) as response:
        html = response.read().decode()
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    cookie = f"{cookie}; csrftoken={jar['csrftoken'].value}"
    return {"csrfmiddlewaretoken": csrf, "title": "ポート", "base_revision": _base(html)}, cookie


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_two_simultaneous_saves_win(live_server, editor, django_user_model, make_note):
    make_note(title="ポート", slug="ports", body="元の本文\n")
    other = django_user_model.objects.create_user("hanako", password="pw")
    other.groups.add(*editor.groups.all())
    forms = [_open_form(live_server.url, _session_cookie(user)) for user in (editor, other)]
    texts = ["太郎の版\n", "花子の版\n"]
    barrier = threading.Barrier(2)
    results: dict[int, tuple[int, str]] = {}
    opener = urllib.request.build_opener(_NoRedirect)

    def post(i: int) -> None:
        form, cookie = forms[i]
        data = urllib.parse.urlencode({**form, "body": texts[i]}).encode()
        request = urllib.request.Request(
            f"{live_server.url}/notes/ports/edit/",
            data=data,
            headers={"Cookie": cookie, "Referer": live_server.url + "/"},
        )
        barrier.wait()
        try:
            with opener.open(request) as response:
                results[i] = (response.status, response.read().decode())
        except urllib.error.HTTPError as exc:
            results[i] = (exc.code, exc.read().decode())

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(status for status, _ in results.values()) == [302, 409]
    winner = next(i for i, (status, _) in results.items() if status == 302)
    loser = 1 - winner
    assert texts[loser].strip() in results[loser][1]  # the refused text comes back in the form
    assert Note.objects.get(slug="ports").body == texts[winner]
    assert [r.body for r in Revision.objects.of(Note.objects.get(slug="ports").pk)] == [
        texts[winner],
        "元の本文\n",
    ]
