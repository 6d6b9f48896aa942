import re

import pytest

from accounts.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def private(settings):
    settings.KB_PUBLIC_READ = False


def _create(client, name="backup script") -> str:
    response = client.post("/accounts/tokens/", {"name": name})
    assert response.status_code == 302 and response["Location"] == "/accounts/tokens/"
    page = client.get(response["Location"])
    match = re.search(r'<code id="new-token">(kb_[\w-]+)</code>', page.content.decode())
    assert match, "the new token is shown once"
    return match.group(1)


def test_it_creates_a_token_shown_once_and_stored_hashed(reader_client, user):
    raw = _create(reader_client)
    token = ApiToken.objects.get(user=user)
    assert token.name == "backup script"
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    listing = reader_client.get("/accounts/tokens/").content.decode()
    assert "backup script" in listing and raw not in listing and token.hint in listing


def test_it_redirects_after_creating_so_a_reload_neither_repeats_nor_reshows(reader_client, user):
    response = reader_client.post("/accounts/tokens/", {"name": "cron"})
    assert response.status_code == 302
    # Nothing secret in the redirect target.
    assert "kb_" not in response["Location"] and "?" not in response["Location"]
    shown = reader_client.get("/accounts/tokens/").content.decode()
    raw = re.search(r'<code id="new-token">(kb_[\w-]+)</code>', shown).group(1)
    assert ApiToken.objects.get(user=user).key_hash == hash_token(raw)
    reloaded = reader_client.get("/accounts/tokens/").content.decode()
    assert "new-token" not in reloaded and raw not in reloaded
    assert ApiToken.objects.filter(user=user).count() == 1
    assert not any(raw in str(v) for v in reader_client.session.values())


def test_it_requires_a_name(reader_client):
    response = reader_client.post("/accounts/tokens/", {"name": "  "})
    assert "new-token" not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_reads_a_private_site_with_a_bearer_token(client, private, user, make_note):
    make_note(title="秘密", slug="secret", body="社外秘")
    _, raw = ApiToken.issue(user, "curl")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/changes/feed/").status_code == 401
    feed = client.get("/changes/feed/", **auth)
    assert feed.status_code == 200 and "秘密" in feed.content.decode()
    assert client.get("/notes/secret/", **auth).status_code == 200
    # Past the access check: the API family answers as for a signed-in user.
    assert client.get("/api/anything", **auth).status_code == 404
    assert ApiToken.objects.get().last_used_at is not None
    # The token is not a session: the next request without it is anonymous again.
    assert client.get("/changes/feed/").status_code == 401


def test_it_refuses_revoked_and_unknown_tokens(client, private, user):
    token, raw = ApiToken.issue(user, "old")
    client.force_login(user)
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    client.logout()
    for value in [raw, "kb_not-a-real-token"]:
        response = client.get("/changes/feed/", HTTP_AUTHORIZATION=f"Bearer {value}")
        assert response.status_code == 401, value
        assert "invalid_token" in response["WWW-Authenticate"]
    # Someone else's bearer token (an SSO proxy's, say) is ignored: still anonymous.
    response = client.get("/changes/feed/", HTTP_AUTHORIZATION="Bearer eyJhbGciOi.x.y")
    assert response.status_code == 401 and "invalid_token" not in response["WWW-Authenticate"]


def test_it_ignores_foreign_bearer_tokens_on_a_public_site(client, make_note):
    make_note(title="公開", slug="open")
    assert client.get("/notes/open/", HTTP_AUTHORIZATION="Bearer eyJhbGciOi.x.y").status_code == 200


def test_it_does_not_let_tokens_write(client, editor, make_note):
    make_note(title="n", slug="n", body="original")
    _, raw = ApiToken.issue(editor, "writer?")
    response = client.post(
        "/notes/n/edit/", {"title": "x", "body": "changed"}, HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    # The token is good, so the answer is "not with a token" (403), not "wrong token" (401).
    assert response.status_code == 403 and 'error="insufficient_scope"' in response["WWW-Authenticate"]
    assert b"GET and HEAD" in response.content
    bad = client.post("/notes/n/edit/", {"title": "x"}, HTTP_AUTHORIZATION="Bearer kb_nottoken")
    assert bad.status_code == 401
    from notes.models import Note

    assert Note.objects.get(slug="n").body == "original"


def test_it_only_revokes_your_own_tokens(client, user, editor):
    token, _ = ApiToken.issue(editor, "theirs")
    client.force_login(user)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert not token.revoked


def test_it_stops_tokens_of_deactivated_users(client, private, user):
    _, raw = ApiToken.issue(user, "t")
    user.is_active = False
    user.save()
    assert client.get("/changes/feed/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_it_sends_anonymous_visitors_of_the_tokens_page_to_login(client):
    assert client.get("/accounts/tokens/").status_code == 302


def test_a_wrong_token_on_the_api_answers_json_like_an_anonymous_call(client, private):
    anonymous = client.get("/api/search", {"q": "x"})
    wrong = client.get("/api/search", {"q": "x"}, HTTP_AUTHORIZATION="Bearer kb_not-a-real-token")
    for response in (anonymous, wrong):
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert "error" in response.json()
    assert wrong.json() == {"error": "invalid or revoked API token"}
    assert "invalid_token" in wrong["WWW-Authenticate"]
    # Plain-text families keep answering in text.
    feed = client.get("/changes/feed/", HTTP_AUTHORIZATION="Bearer kb_not-a-real-token")
    assert feed.status_code == 401 and feed["Content-Type"].startswith("text/plain")


def test_the_admin_link_is_shown_only_to_those_the_admin_lets_in(client, user, django_user_model):
    admin_link = 'href="/admin/"'
    assert admin_link not in client.get("/").content.decode()
    client.force_login(user)
    assert admin_link not in client.get("/").content.decode()
    staff = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(staff)
    assert admin_link in client.get("/").content.decode()
    assert client.get("/admin/").status_code == 200
