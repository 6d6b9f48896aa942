"""Rendered HTML is stored: note, revision and trash pages never run Markdown on a GET."""

import pytest

from history.models import Revision
from notes import markdown
from notes.models import Note

pytestmark = pytest.mark.django_db


def _refuse(*args, **kwargs):
    raise AssertionError("rendered during a GET")


def test_revisions_keep_the_html_of_their_save(make_note):
    note = make_note(title="r", slug="r", body="**one**")
    note.body = "**two**"
    note.save_with_tags()
    first, second = Revision.objects.of(note.pk).order_by("number")
    assert "<strong>one</strong>" in first.body_html and "<strong>two</strong>" in second.body_html
    assert first.render_version == markdown.RENDER_VERSION


def test_note_revision_and_trash_pages_do_not_render(client, kb_admin, make_note, monkeypatch):
    note = make_note(title="gone", slug="gone", body="**kept** text")
    pk = note.pk
    note.delete()
    restored = make_note(title="here", slug="here", body="*here*")
    client.force_login(kb_admin)
    monkeypatch.setattr(markdown, "render", _refuse)
    assert "<strong>kept</strong>" in client.get(f"/trash/{pk}/").content.decode()
    assert "<em>here</em>" in client.get("/notes/here/revisions/1/").content.decode()
    assert "<em>here</em>" in client.get(restored.get_absolute_url()).content.decode()


def test_html_from_an_older_renderer_is_rebuilt_once(client, make_note):
    note = make_note(title="old", slug="old", body="~~x~~")
    Revision.objects.filter(note_key=note.pk).update(body_html="<p>stale</p>", render_version=0)
    page = client.get("/notes/old/revisions/1/").content.decode()
    assert "<s>x</s>" in page and "stale" not in page
    assert Revision.objects.get(note_key=note.pk).render_version == markdown.RENDER_VERSION


def test_the_preview_is_the_page(editor_client, make_note):
    body = "## Steps\n1. a\n   - b\n\n> [!TIP]\n> t\n\n[[Missing]]\n"
    note = make_note(title="p", slug="p", body=body)
    preview = editor_client.post("/markdownx/markdownify/", {"content": body}).content.decode()
    assert preview == Note.objects.get(pk=note.pk).body_html


def test_the_preview_refuses_bodies_over_the_note_limit(editor_client, settings):
    settings.KB_MAX_BODY_CHARS = 1000
    response = editor_client.post("/markdownx/markdownify/", {"content": "a" * 1001})
    assert response.status_code == 413 and b"1000" in response.content
    assert editor_client.post("/markdownx/markdownify/", {"content": "a" * 1000}).status_code == 200
    # A browser sends CRLF; 500 lines of "a" are 1,000 characters as saved, 1,500 as sent.
    crlf = "a\r\n" * 500
    assert editor_client.post("/markdownx/markdownify/", {"content": crlf}).status_code == 200
    assert editor_client.post("/notes/new/", {"title": "t", "body": crlf}).status_code == 302


def test_render_notes_rebuilds_stale_html_without_touching_updated_at(make_note, capsys):
    from django.core.management import call_command

    note = make_note(title="s", slug="s", body="- a\n  - b\n")
    Note.objects.filter(pk=note.pk).update(body_html="<p>old</p>", render_version=2)
    before = Note.objects.get(pk=note.pk).updated_at
    call_command("render_notes")
    stored = Note.objects.get(pk=note.pk)
    assert stored.render_version == markdown.RENDER_VERSION and "<ul>" in stored.body_html
    assert stored.updated_at == before
    assert "rendered 1 notes" in capsys.readouterr().out
