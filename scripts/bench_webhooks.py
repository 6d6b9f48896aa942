"""How long a note save takes with webhooks registered, including dead and hanging ones.

Saves go through the real edit view (Django's test client, in process) against a
database of their own (kb_bench_webhooks on the embedded server, or BENCH_DATABASE_URL).
Four rounds, interleaved so machine load hits them alike: no webhook; three webhooks
to a refused port; three to a receiver that never answers, with a worker stuck
sending to it; three to a receiver that answers at once.
"""

from __future__ import annotations

import os
import socket
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.environ.setdefault("DEBUG", "1")
SAVES = int(os.environ.get("BENCH_SAVES", "60"))


def _database() -> None:
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        return
    from urllib.parse import urlsplit, urlunsplit

    from kb import devdb

    parts = urlsplit(devdb.database_url(ROOT))
    devdb._ensure_database(urlunsplit(parts._replace(path="/postgres")), "kb_bench_webhooks")
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/kb_bench_webhooks"))


def _server(hang: bool) -> tuple[ThreadingHTTPServer, str]:
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            if hang:
                release.wait(600)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/hook"


def main() -> None:
    _database()
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from notes.models import Note
    from webhooks import worker
    from webhooks.models import Delivery, Event, Webhook

    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench-webhooks")
    user.groups.add(Group.objects.get(name="editors"))
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    note, _ = Note.objects.get_or_create(slug="bench-webhooks", defaults={"title": "bench", "body": "0\n"})

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{s.getsockname()[1]}/hook"
    _, hanging = _server(hang=True)
    _, quick = _server(hang=False)
    rounds = {"none": [], "refused": [refused] * 3, "hanging": [hanging] * 3, "answering": [quick] * 3}
    times: dict[str, list[float]] = {name: [] for name in rounds}

    # A worker stuck on the hanging receiver for the whole run (timeout raised to 10 min).
    from django.conf import settings

    settings.KB_WEBHOOK_TIMEOUT = 600
    stuck = Webhook.objects.create(name="stuck", url=hanging, events=Event.values)
    Note(title="wake", body="x").save_with_tags([])

    def run_worker() -> None:
        try:
            worker.run_once()
        finally:
            connection.close()

    threading.Thread(target=run_worker, daemon=True).start()
    time.sleep(1)
    stuck.delete()

    for name, urls in rounds.items():
        for i, url in enumerate(urls):
            Webhook.objects.create(name=f"{name}-{i}", url=url, events=Event.values, active=False)
    n = 0
    for _ in range(SAVES):
        for name in rounds:
            Webhook.objects.update(active=False)
            Webhook.objects.filter(name__startswith=f"{name}-").update(active=True)
            n += 1
            started = time.perf_counter()
            response = client.post(
                "/notes/bench-webhooks/edit/", {"title": "bench", "body": f"{n}\n", "tags": ""}
            )
            times[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, response.status_code
    queued = Delivery.objects.filter(status="pending").count()
    print(f"{SAVES} saves per round; {queued} deliveries left queued (no worker sent them)")
    print("| webhooks | p50 ms | p95 ms |")
    print("|---|---|---|")
    for name, values in times.items():
        values.sort()
        p95 = values[max(0, int(len(values) * 0.95) - 1)]
        print(f"| {name} | {statistics.median(values):.1f} | {p95:.1f} |")
    Webhook.objects.all().delete()
    Delivery.objects.all().delete()
    os._exit(0)  # the stuck worker thread is still waiting on its receiver


if __name__ == "__main__":
    main()
