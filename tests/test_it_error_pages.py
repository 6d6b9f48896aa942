"""403, 404 and 500 are our own pages: Japanese first, with somewhere to go next."""

import re

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error


def _links(html: str) -> tuple[bool, bool, bool]:
    """Home, search and login links in the page's own list (not the site header)."""
    links = re.search(r'<ul class="error-links">.*?</ul>', html, re.S).group(0)
    return ('href="/"' in links, 'href="/search/"' in links, 'href="/accounts/login/?next=' in links)


@pytest.mark.django_db
def test_404_is_japanese_with_home_search_and_login_links(client):
    response = client.get("/notes/no-such-note/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ja">' in html and "ページが見つかりません" in html and "Not Found" not in html
    assert "ホームに戻る" in html and "ノートを検索する" in html
    assert _links(html) == (True, True, True)
    assert "/accounts/login/?next=/notes/no-such-note/" in html


@pytest.mark.django_db
def test_404_follows_the_language_switch(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/notes/no-such-note/").content.decode()
    assert '<html lang="en">' in html and "Page not found" in html


@pytest.mark.django_db
def test_403_tells_a_reader_why_and_offers_no_login(reader_client):
    response = reader_client.get("/notes/new/")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="ja">' in html and "この操作は許可されていません" in html
    assert "編集者ロール" in html and "403 Forbidden" not in html
    # Already signed in: home and search, but no login link.
    assert _links(html) == (True, True, False)


@pytest.mark.django_db
def test_lockout_page_offers_the_same_links_but_no_login(client, editor):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "editor", "password": "wrong"})
    assert response.status_code == 429
    assert _links(response.content.decode()) == (True, True, False)


def test_500_renders_without_database_or_request_context():
    # No django_db mark: any query would fail the test.
    request = RequestFactory().get("/boom/")
    with translation.override("ja"):
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="ja">' in html and "サーバーエラー" in html
    assert 'href="/"' in html and 'href="/search/"' in html
    with translation.override("en"):
        assert "Server error" in server_error(request).content.decode()


def test_a_csrf_failure_explains_itself_in_japanese(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "フォームの有効期限が切れました" in html and "何も保存されていません" in html.replace("\n", "")
