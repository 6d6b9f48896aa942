"""A database outage answers 503 on every path, in the format of the URL family."""

import pytest

from accounts.models import ApiToken

PAGES = ["/", "/search/?q=docker", "/notes/some-note/", "/lookup/?q=docker", "/tags/", "/changes/"]
JSON = ["/api/search?q=docker", "/api/lookup?q=docker"]
TEXT = ["/q/docker", "/changes/feed/"]


@pytest.fixture
def quiet_client(client):
    # Django's test client re-raises errors it saw; a real server answers them.
    client.raise_request_exception = False
    return client


def _assert_outage_answers(client, **headers):
    for url in PAGES:
        response = client.get(url, **headers)
        assert response.status_code == 503, url
        assert response["Retry-After"] == "10"
        assert response["Content-Type"].startswith("text/html")
        assert "データベースに接続できません" in response.content.decode()
    for url in JSON:
        response = client.get(url, **headers)
        assert response.status_code == 503, url
        assert response["Retry-After"] == "10"
        assert response.json() == {"error": "database unavailable"}
    for url in TEXT:
        response = client.get(url, **headers)
        assert response.status_code == 503, url
        assert response["Retry-After"] == "10"
        assert response["Content-Type"].startswith("text/plain")
        assert "database unavailable" in response.content.decode()


def test_anonymous_readers_get_503_in_each_format(quiet_client, database_down):
    with database_down():
        _assert_outage_answers(quiet_client)
    assert quiet_client.get("/").status_code == 200  # recovers without a restart


def test_signed_in_users_get_503_in_each_format(quiet_client, database_down, user):
    quiet_client.force_login(user)
    with database_down():
        _assert_outage_answers(quiet_client)
    assert quiet_client.get("/").status_code == 200


def test_a_private_site_gives_signed_in_users_503_not_500(quiet_client, database_down, settings, user):
    # The session is read in PrivateSiteMiddleware, outside any view.
    settings.KB_PUBLIC_READ = False
    quiet_client.force_login(user)
    with database_down():
        _assert_outage_answers(quiet_client)
        response = quiet_client.post("/notes/new/", {"title": "t", "body": "b"})
        assert response.status_code == 503
    assert quiet_client.get("/").status_code == 200


def test_a_private_site_still_answers_anonymous_callers_without_the_database(
    quiet_client, database_down, settings
):
    settings.KB_PUBLIC_READ = False
    with database_down():
        assert quiet_client.get("/").status_code == 302
        assert quiet_client.get("/api/search?q=x").status_code == 401
        assert quiet_client.get("/q/x").status_code == 401
        # Signing in needs the database: the login attempt is a 503, not a 500.
        response = quiet_client.post("/accounts/login/", {"username": "reader", "password": "pw"})
        assert response.status_code == 503


def test_api_tokens_get_503_in_json(quiet_client, database_down, settings, user):
    settings.KB_PUBLIC_READ = False
    _, raw = ApiToken.issue(user, "script")
    with database_down():
        response = quiet_client.get("/api/search?q=x", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 503 and response.json() == {"error": "database unavailable"}
