"""Share links: a secret, read-only address for one note, revocable, optionally expiring."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sharing.models import ShareLink

pytestmark = pytest.mark.django_db

SECRET = "社外秘の手順: hunter2 を入力"


@pytest.fixture
def private(settings):
    settings.KB_PUBLIC_READ = False


@pytest.fixture
def anon():
    # The editor_client fixture is pytest-django's client: a stranger needs a client of their own.
    return Client()


@pytest.fixture
def note(make_note):
    return make_note(title="障害対応の手順", slug="incident", body=SECRET + "\n", tags=["ops"])


def _create(editor_client, note, days: str = "") -> ShareLink:
    response = editor_client.post(f"/notes/{note.slug}/share/", {"expires_in": days})
    assert response.status_code == 302
    assert response["Location"].endswith("/notes/incident/#share")
    return ShareLink.objects.get(note=note)


def test_it_lets_an_editor_create_a_link_that_is_listed_on_the_note(editor_client, note):
    link = _create(editor_client, note)
    assert len(link.token) >= 32 and link.expires_at is None
    page = editor_client.get("/notes/incident/").content.decode()
    assert link.get_absolute_url() in page
    assert "share_revoke" not in page and f"/share/{link.pk}/revoke/" in page


def test_it_refuses_link_creation_to_readers_and_strangers(anon, reader_client, note):
    assert reader_client.post("/notes/incident/share/", {}).status_code == 403
    assert anon.post("/notes/incident/share/", {}).status_code == 302
    assert not ShareLink.objects.exists()
    # Readers do not see the panel either.
    assert "/share/" not in reader_client.get("/notes/incident/").content.decode()


def test_it_shows_only_the_note_on_a_private_site_without_login(
    anon, editor_client, note, make_note, private
):
    make_note(title="別の秘密", slug="other", body="見えてはいけない")
    link = _create(editor_client, note)
    response = anon.get(link.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "hunter2" in html and "障害対応の手順" in html
    assert "リンクで共有" in html
    # Nothing else of the site: no nav, no search box, no other notes, no links to them.
    assert 'role="search"' not in html and "/search/" not in html and "別の秘密" not in html
    assert 'href="/' not in html.replace('href="/static/', "")
    assert response["Cache-Control"] == "no-store, private"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    # The link opens nothing but its own note.
    assert anon.get("/notes/other/").status_code == 302
    assert anon.get("/notes/incident/").status_code == 302


def test_it_ends_access_at_once_when_revoked(anon, editor_client, note, private):
    link = _create(editor_client, note)
    assert anon.get(link.get_absolute_url()).status_code == 200
    assert editor_client.post(f"/share/{link.pk}/revoke/").status_code == 302
    response = anon.get(link.get_absolute_url())
    assert response.status_code == 404
    assert "hunter2" not in response.content.decode()
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert "無効" in editor_client.get("/notes/incident/").content.decode()


def test_revoking_asks_first_and_cancel_keeps_the_link(anon, editor_client, user, note, private):
    link = _create(editor_client, note)
    page = editor_client.get(f"/share/{link.pk}/revoke/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "この共有リンクを無効にしますか？" in text and "元には戻せません" in text
    assert 'href="/notes/incident/#share"' in text  # Cancel
    link.refresh_from_db()
    assert link.revoked_at is None and anon.get(link.get_absolute_url()).status_code == 200
    reader = Client()
    reader.force_login(user)
    assert reader.get(f"/share/{link.pk}/revoke/").status_code == 403
    assert editor_client.post(f"/share/{link.pk}/revoke/").status_code == 302
    # Asking again for a revoked link goes back to the note.
    assert editor_client.get(f"/share/{link.pk}/revoke/")["Location"] == "/notes/incident/#share"


def test_it_expires(anon, editor_client, note, private):
    link = _create(editor_client, note, days="7")
    assert timedelta(days=6) < link.expires_at - timezone.now() <= timedelta(days=7)
    assert anon.get(link.get_absolute_url()).status_code == 200
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert anon.get(link.get_absolute_url()).status_code == 404


def test_it_rejects_a_made_up_expiry_and_unknown_tokens(anon, editor_client, note):
    editor_client.post("/notes/incident/share/", {"expires_in": "99999"})
    assert not ShareLink.objects.exists()
    assert anon.get("/s/not-a-real-token/").status_code == 404
    assert anon.get("/s/" + "x" * 200 + "/").status_code == 404


def test_it_dies_with_its_note(editor_client, note):
    link = _create(editor_client, note)
    editor_client.post("/notes/incident/delete/")
    assert not ShareLink.objects.filter(pk=link.pk).exists()


def test_it_serves_the_notes_images_and_no_others(anon, editor_client, make_note, settings, private):
    uploads = settings.MEDIA_ROOT / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "shown.png").write_bytes(b"\x89PNG\r\n\x1a\nshown")
    (uploads / "other.png").write_bytes(b"\x89PNG\r\n\x1a\nother")
    note = make_note(title="図", slug="incident", body="![図](/media/uploads/shown.png)\n")
    link = _create(editor_client, note)
    html = anon.get(link.get_absolute_url()).content.decode()
    assert f'src="{link.get_absolute_url()}media/uploads/shown.png"' in html
    image = anon.get(f"{link.get_absolute_url()}media/uploads/shown.png")
    assert image.status_code == 200 and b"".join(image.streaming_content).endswith(b"shown")
    assert anon.get(f"{link.get_absolute_url()}media/uploads/other.png").status_code == 404
    assert anon.get("/media/uploads/shown.png").status_code == 302


def test_a_shared_page_keeps_wiki_link_text_but_links_nowhere_in_the_site(client, editor, make_note):
    from sharing.models import ShareLink

    make_note(title="Other", slug="other", body="private neighbour")
    note = make_note(
        title="Shared",
        slug="shared",
        body="See [[Other]] and [[Nobody yet]], [the other](/notes/other/), [up](../other/),\n"
        "[docs](https://example.com/docs) and [below](#below).\n\n## Below\n",
    )
    link = ShareLink.create(note, user=editor, days=None)
    page = client.get(link.get_absolute_url()).content.decode()
    assert '<span class="wikilink">Other</span>' in page
    assert "/wiki/" not in page and 'href="/notes/other/' not in page
    assert "<span>the other</span>" in page and 'href="../other/"' not in page
    assert 'href="https://example.com/docs"' in page and 'href="#below"' in page
