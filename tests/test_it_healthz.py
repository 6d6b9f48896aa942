import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_it_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def _broken_cursor(*args, **kwargs):
    raise OperationalError("connection refused")


def test_it_answers_503_when_the_database_is_gone(client, monkeypatch):
    monkeypatch.setattr("notes.views.connection.cursor", _broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_pages_explain_a_lost_database(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("notes.models.NoteQuerySet.recent", broken)
    response = client.get("/")
    assert response.status_code == 503
    assert "データベースに接続できません" in response.content.decode()


def test_it_answers_health_checks_on_any_host(client, settings):
    settings.ALLOWED_HOSTS = ["kb.example.com"]
    assert client.get("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert client.get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400
