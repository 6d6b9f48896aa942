"""KB_PUBLIC_READ=false: every URL family needs a login, and nothing leaks."""

import pytest

pytestmark = pytest.mark.django_db

SECRET = "社外秘のパスワードは hunter2"


@pytest.fixture
def private(settings):
    settings.KB_PUBLIC_READ = False


@pytest.fixture
def secret_note(make_note):
    return make_note(title="秘密のメモ", slug="secret", body=SECRET, tags=["internal"])


@pytest.fixture
def image(settings):
    path = settings.MEDIA_ROOT / "uploads" / "x.png"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\nsecret-pixels")
    return "/media/uploads/x.png"


HTML_URLS = [
    "/",
    "/notes/secret/",
    "/notes/secret/history/",
    "/notes/secret/diff/?a=1&b=1",
    "/notes/secret/revisions/1/",
    "/tags/",
    "/tags/internal/",
    "/changes/",
    # Families other branches add (search, lookup, cheatsheets) and any future page.
    "/search/?q=hunter2",
    "/lookup/?q=hunter2",
    "/cheatsheet/internal/",
    "/shell/",  # its scripts (/shell/kb.*) are open: the same code for all, no notes
    "/some/future/page/",
]


@pytest.mark.parametrize("url", HTML_URLS)
def test_it_redirects_anonymous_visitors_to_login(client, private, secret_note, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "hunter2" not in response.content.decode()


def test_it_keeps_media_behind_the_login(client, private, image, user):
    response = client.get(image)
    assert response.status_code == 302
    assert b"secret-pixels" not in response.content
    client.force_login(user)
    assert b"secret-pixels" in b"".join(client.get(image).streaming_content)


@pytest.mark.parametrize("url", ["/api/search?q=hunter2", "/api/lookup?q=x", "/api/anything"])
def test_it_answers_api_callers_with_json_401(client, private, secret_note, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response.json() == {"error": "authentication required"}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("url", ["/changes/feed/", "/q/hunter2", "/opensearch.xml"])
def test_it_answers_feeds_and_plain_text_with_401(client, private, secret_note, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("text/plain")
    assert "hunter2" not in response.content.decode()


def test_it_serves_the_login_page_health_and_static_files(client, private):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302


def test_it_shows_everything_to_readers_who_logged_in(client, private, secret_note, user):
    client.force_login(user)
    for url in ["/", "/notes/secret/", "/notes/secret/history/", "/changes/", "/tags/internal/"]:
        assert client.get(url).status_code == 200, url
    assert SECRET in client.get("/notes/secret/").content.decode()
    feed = client.get("/changes/feed/")
    assert feed.status_code == 200 and "秘密のメモ" in feed.content.decode()


def test_it_checks_access_in_views_too(rf, private, secret_note):
    """The decorators refuse on their own, without the middleware's help."""
    from django.contrib.auth.models import AnonymousUser
    from django.urls import resolve

    for url, status in [("/notes/secret/", 302), ("/changes/feed/", 401), ("/notes/secret/history/", 302)]:
        request = rf.get(url)
        request.user = AnonymousUser()
        match = resolve(url)
        response = match.func(request, *match.args, **match.kwargs)
        assert response.status_code == status, url
        assert "hunter2" not in response.content.decode()


def test_it_reads_openly_when_public(client, secret_note):
    assert client.get("/notes/secret/").status_code == 200
    assert client.get("/changes/feed/").status_code == 200


NAV = ['href="/lookup/"', 'href="/tags/"', 'href="/changes/"', 'action="/search/"']


def test_the_login_page_of_a_private_site_has_no_links_that_bounce(client, private, user):
    html = client.get("/accounts/login/").content.decode()
    assert [link for link in NAV if link in html] == []
    client.force_login(user)
    html = client.get("/").content.decode()
    assert [link for link in NAV if link in html] == NAV


def test_the_login_page_of_a_public_site_keeps_its_links(client):
    html = client.get("/accounts/login/").content.decode()
    assert [link for link in NAV if link in html] == NAV


HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/search/?q=old"}


@pytest.mark.parametrize("url", ["/search/?q=hunter2", "/lookup/?q=hunter2"])
def test_live_search_after_the_session_expired_sends_htmx_to_login(client, private, secret_note, url):
    response = client.get(url, **HTMX)
    # Not a 302 whose login page htmx would swap into the results box.
    assert response.status_code == 200 and "Location" not in response
    assert response["HX-Redirect"] == "/accounts/login/?next=/search/%3Fq%3Dold"
    assert "hunter2" not in response.content.decode()
    # Plain requests and htmx history restores (which swap whole pages) still redirect.
    assert client.get(url).status_code == 302
    restore = client.get(url, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert restore.status_code == 302 and "HX-Redirect" not in restore


def test_access_decorators_answer_htmx_with_hx_redirect(rf, private, secret_note):
    from django.contrib.auth.models import AnonymousUser
    from django.urls import resolve

    request = rf.get("/notes/secret/history/", HTTP_HX_REQUEST="true")
    request.user = AnonymousUser()
    match = resolve("/notes/secret/history/")
    response = match.func(request, *match.args, **match.kwargs)
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/notes/secret/history/"
