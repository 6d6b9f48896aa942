import time

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_it_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_it_says_only_unavailable_when_the_database_is_unreachable(client, database_down):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    # No error text, socket path, host or port for the outside.
    assert response.json() == {"status": "unavailable"}
    assert response["Retry-After"].isdigit()
    assert client.get("/healthz").json() == {"status": "ok"}


def test_it_hides_the_reason_on_a_private_site(client, settings, monkeypatch):
    settings.KB_PUBLIC_READ = False

    def broken(*args, **kwargs):
        raise OperationalError('connection to server on socket "/secret/path/.s.PGSQL.5432" failed')

    monkeypatch.setattr("kb.middleware.connection.cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert b"secret" not in response.content and b"socket" not in response.content


def test_it_is_answered_before_sessions_and_templates(client, django_assert_num_queries, user):
    client.force_login(user)
    # One query (SELECT 1): no session read, no user, no template.
    with django_assert_num_queries(1) as captured:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert "SELECT 1" in captured.captured_queries[0]["sql"]
    assert not response.cookies and "Vary" not in response
    start = time.perf_counter()
    for _ in range(20):
        client.get("/healthz")
    # Generous: the point is "no page rendering", not a benchmark (BENCHMARKS.md has figures).
    assert (time.perf_counter() - start) / 20 < 0.5


def test_it_answers_health_checks_on_any_host(client, settings):
    settings.ALLOWED_HOSTS = ["kb.example.com"]
    assert client.get("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert client.get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400


def test_favicon_ico_leads_to_the_icon_the_pages_name(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert finders.find("favicon.svg")  # the file the redirect names is shipped
    assert f'href="{response["Location"]}"' in client.get("/").content.decode()
