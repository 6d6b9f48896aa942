"""The webhook worker as it runs in the background: woken by the commit, not by polling."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from tests.test_it_webhooks import Receiver
from webhooks import worker
from webhooks.models import Delivery, Event, Webhook

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_watching_worker_delivers_right_after_commit(make_note):
    receiver = Receiver()
    Webhook.objects.create(name="chat", url=receiver.url, events=Event.values)
    stop = threading.Event()

    def run() -> None:
        try:
            # A poll far longer than the test: only the NOTIFY sent on commit can wake it in time.
            worker.watch(poll_seconds=60, stop=stop.is_set)
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        time.sleep(0.5)  # let it LISTEN and find the queue empty
        make_note(title="手順", slug="steps")
        deadline = time.monotonic() + 10
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(receiver.requests) == 1
        deadline = time.monotonic() + 5
        while Delivery.objects.filter(status="delivered").count() != 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert Delivery.objects.get().status == "delivered"
    finally:
        stop.set()
        make_note(title="起こす", slug="wake")  # wakes it so it sees the stop flag
        thread.join(10)
        receiver.close()
    assert not thread.is_alive()


def _run_once_and_close() -> None:
    try:
        worker.run_once()
    finally:
        connection.close()


def test_a_hanging_endpoint_does_not_hold_up_a_save(editor_client, editor):
    receiver = Receiver()
    Webhook.objects.create(name="chat", url=receiver.url, events=Event.values)
    receiver.hang.set()
    t = threading.Thread(target=_run_once_and_close)
    editor_client.post("/notes/new/", {"title": "一つ目", "body": "x\n", "tags": ""})
    t.start()
    deadline = time.monotonic() + 10
    while not receiver.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert receiver.requests, "the worker should be stuck sending"
    # The worker is stuck on the first delivery; the next save is not.
    response = editor_client.post("/notes/new/", {"title": "二つ目", "body": "y\n", "tags": ""})
    assert response.status_code == 302
    receiver.release.set()
    t.join(10)
    receiver.close()
