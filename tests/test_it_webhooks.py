"""Webhooks: signed JSON POSTs for note events, sent after commit by a SKIP LOCKED worker."""

from __future__ import annotations

import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from webhooks import worker
from webhooks.models import Delivery, Event, Webhook
from webhooks.signing import verify

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server on loopback that records what it is sent."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.statuses: list[int] = []  # answered in turn; 204 once they run out
        self.hang = threading.Event()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                if receiver.hang.is_set():
                    receiver.release.wait(30)
                status = receiver.statuses.pop(0) if receiver.statuses else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hook(receiver, kb_admin):
    return Webhook.objects.create(name="chat", url=receiver.url, events=Event.values, created_by=kb_admin)


def _payload(request: dict) -> dict:
    return json.loads(request["body"])


def test_it_sends_a_signed_payload_after_the_save(editor_client, receiver, hook, settings):
    settings.KB_SITE_URL = "https://kb.example.com"
    response = editor_client.post(
        "/notes/new/", {"title": "障害報告", "body": "一行目\n二行目\n", "tags": "ops", "message": "初版"}
    )
    assert response.status_code == 302
    # Saving only queued the delivery; nothing was sent during the request.
    assert receiver.requests == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.event) == ("pending", "note.created")

    assert worker.run_once() == 1
    (sent,) = receiver.requests
    headers = sent["headers"]
    assert verify(hook.secret, sent["body"], headers["X-Kb-Signature-256"])
    assert not verify("another secret", sent["body"], headers["X-Kb-Signature-256"])
    assert headers["X-Kb-Event"] == "note.created"
    assert headers["X-Kb-Delivery"] == str(delivery.pk)
    assert headers["Content-Type"].startswith("application/json")
    body = _payload(sent)
    assert body["event"] == "note.created"
    assert body["note"]["title"] == "障害報告" and body["note"]["tags"] == ["ops"]
    assert body["editor"]["username"] == "editor"
    assert body["revision"]["number"] == 1 and body["revision"]["message"] == "初版"
    assert body["diff"]["lines_added"] == 2 and body["diff"]["lines_removed"] == 0
    slug = quote(body["note"]["slug"])
    assert body["url"] == f"https://kb.example.com/notes/{slug}/"
    assert body["revision"]["url"] == f"https://kb.example.com/notes/{slug}/revisions/1/"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code, delivery.attempts) == ("delivered", 204, 1)
    assert delivery.log[0]["status"] == 204


def test_it_reports_updates_deletions_and_restores(editor_client, kb_admin, receiver, hook, make_note):
    note = make_note(title="手順", slug="steps", body="a\nb\n")
    worker.run_once()
    editor_client.post(
        "/notes/steps/edit/", {"title": "手順 v2", "body": "a\nc\n", "tags": "", "base_revision": 1}
    )
    editor_client.post("/notes/steps/delete/")
    admin = Client()
    admin.force_login(kb_admin)
    assert admin.post(f"/trash/{note.pk}/restore/").status_code == 302
    worker.run_once()
    events = [_payload(r) for r in receiver.requests]
    assert [e["event"] for e in events] == ["note.created", "note.updated", "note.deleted", "note.restored"]
    updated = events[1]
    assert updated["diff"] == {
        "lines_added": 1,
        "lines_removed": 1,
        "title_changed": True,
        "tags_changed": False,
    }
    assert updated["revision"]["number"] == 2
    assert events[2]["note"]["id"] == note.pk and events[2]["url"].endswith(f"/trash/{note.pk}/")
    assert events[3]["editor"]["username"] == "boss"
    assert events[3]["revision"]["message"] == "削除から復元"  # as history shows it


def test_it_sends_only_the_events_a_hook_asked_for(receiver, hook, make_note):
    hook.events = [Event.DELETED]
    hook.save()
    note = make_note(title="手順", slug="steps")
    note.delete()
    worker.run_once()
    assert [_payload(r)["event"] for r in receiver.requests] == ["note.deleted"]
    Webhook.objects.update(active=False)
    make_note(title="別", slug="other").delete()
    assert not Delivery.objects.filter(status="pending").exists()


def test_it_sends_nothing_for_a_rolled_back_save(receiver, hook, make_note):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_note(title="手順", slug="steps")
        raise RuntimeError("the save failed after the revision")
    assert not Delivery.objects.exists()


def test_it_retries_with_backoff_and_keeps_a_log(receiver, hook, make_note, settings):
    settings.KB_WEBHOOK_RETRY_SECONDS = 30
    receiver.statuses = [500, 503]
    make_note(title="手順", slug="steps")
    assert worker.run_once() == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert timedelta(seconds=25) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=30)
    # Not due yet: the worker leaves it alone.
    assert worker.run_once() == 0
    Delivery.objects.update(next_attempt_at=timezone.now())
    worker.run_once()
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code) == (2, 503)
    assert timedelta(seconds=55) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=60)
    Delivery.objects.update(next_attempt_at=timezone.now())
    worker.run_once()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    assert [entry["status"] for entry in delivery.log] == [500, 503, 204]
    # Every retry carries the same delivery id, so receivers can drop duplicates.
    assert {r["headers"]["X-Kb-Delivery"] for r in receiver.requests} == {str(delivery.pk)}


def test_it_gives_up_after_the_last_attempt(receiver, hook, make_note, settings):
    settings.KB_WEBHOOK_MAX_ATTEMPTS = 2
    receiver.statuses = [500, 500]
    make_note(title="手順", slug="steps")
    worker.run_once()
    Delivery.objects.update(next_attempt_at=timezone.now())
    worker.run_once()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 2)


def test_a_dead_endpoint_never_breaks_saving(editor_client, hook):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/hook"
    hook.url = dead
    hook.save()
    response = editor_client.post("/notes/new/", {"title": "手順", "body": "x\n", "tags": ""})
    assert response.status_code == 302
    worker.run_once()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert "refused" in delivery.last_error.lower()


def test_claimed_rows_are_skipped_by_a_second_worker(hook, make_note):
    make_note(title="手順", slug="steps")
    first = worker.claim()
    assert len(first) == 1
    assert worker.claim() == []


def test_only_admins_manage_webhooks(editor_client, kb_admin, receiver):
    assert editor_client.get("/webhooks/").status_code == 403
    admin = Client()
    admin.force_login(kb_admin)
    response = admin.post(
        "/webhooks/",
        {"name": "chat", "url": receiver.url, "events": ["note.created", "note.updated"], "active": "on"},
    )
    hook = Webhook.objects.get()
    assert response["Location"] == f"/webhooks/{hook.pk}/"
    assert hook.events == ["note.created", "note.updated"] and len(hook.secret) == 64
    page = admin.get(f"/webhooks/{hook.pk}/").content.decode()
    assert hook.secret in page
    assert (
        admin.post(
            "/webhooks/", {"name": "x", "url": "ftp://example.com/", "events": ["note.created"]}
        ).status_code
        == 200
    )
    assert admin.post("/webhooks/", {"name": "x", "url": receiver.url, "events": []}).status_code == 200
    assert Webhook.objects.count() == 1


def test_the_delivery_log_shows_status_codes(kb_admin, receiver, hook, make_note):
    receiver.statuses = [502]
    make_note(title="手順", slug="steps")
    worker.run_once()
    admin = Client()
    admin.force_login(kb_admin)
    page = admin.get(f"/webhooks/{hook.pk}/").content.decode()
    assert '<code class="status-code">502</code>' in page and "手順" in page
    delivery = Delivery.objects.get()
    Delivery.objects.update(status="failed")
    admin.post(f"/webhooks/deliveries/{delivery.pk}/retry/")
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 0


def test_old_finished_deliveries_leave_the_log(hook, make_note, settings):
    settings.KB_WEBHOOK_LOG_DAYS = 30
    make_note(title="手順", slug="steps")
    make_note(title="別", slug="other")
    old, pending = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk=old.pk).update(
        status="delivered", created_at=timezone.now() - timedelta(days=31)
    )
    Delivery.objects.filter(pk=pending.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert worker.purge_old() == 1
    assert list(Delivery.objects.values_list("pk", flat=True)) == [pending.pk]
