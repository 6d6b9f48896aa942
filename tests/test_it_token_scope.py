"""An API token reads; it never opens the admin site or a page that writes."""

import pytest

from accounts.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_token(django_user_model):
    boss = django_user_model.objects.create_superuser("root", password="pw")
    _, raw = ApiToken.issue(boss, "read-only script")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("url", ["/admin/", "/admin/notes/note/", "/admin/auth/user/", "/admin/login/"])
def test_a_superusers_token_cannot_browse_the_admin(client, superuser_token, url):
    response = client.get(url, **superuser_token)
    assert response.status_code == 403
    assert "insufficient_scope" in response["WWW-Authenticate"]


@pytest.mark.parametrize(
    "url",
    [
        "/notes/new/",
        "/notes/n/edit/",
        "/notes/n/delete/",
        "/lookup/new/",
        "/notes/n/revisions/1/restore/",
        "/trash/1/restore/",
        "/accounts/tokens/",
        "/markdownx/upload/",
    ],
)
def test_tokens_do_not_open_html_write_pages(client, superuser_token, make_note, url):
    make_note(title="n", slug="n")
    response = client.get(url, **superuser_token)
    assert response.status_code == 403, url
    assert "insufficient_scope" in response["WWW-Authenticate"]


def test_tokens_still_read(client, superuser_token, make_note, settings):
    settings.KB_PUBLIC_READ = False
    make_note(title="秘密のメモ", slug="n")
    assert client.get("/api/search?q=秘密", **superuser_token).status_code == 200
    assert client.get("/changes/feed/", **superuser_token).status_code == 200
    # Past the access check: no entry matches, so a plain-text "nothing found".
    assert client.get("/q/ls", **superuser_token).status_code == 404
    assert client.get("/notes/n/", **superuser_token).status_code == 200


def test_the_same_user_with_a_session_still_reaches_them(client, django_user_model, make_note):
    boss = django_user_model.objects.create_superuser("root", password="pw")
    make_note(title="n", slug="n")
    client.force_login(boss)
    assert client.get("/admin/").status_code == 200
    assert client.get("/notes/new/").status_code == 200
