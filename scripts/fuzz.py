"""`make fuzz`: replay scripts/hostile.py's bad requests against a live gunicorn.

Starts kb the way the Dockerfile does (gunicorn, 2 workers x 4 threads) on a
loopback port over a throw-away database (kb_fuzz) holding one sample note,
entry and superuser, then sends every probe twice: anonymously and signed in
as the superuser. Fails on any 5xx and on any request slower than --max-seconds.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["KB_TEST_DB_NAME"] = "kb_fuzz"
os.environ.setdefault("KB_EMBEDDINGS", "off")
# The session made here must verify in gunicorn (scripts/benchkit.py's key).
os.environ["SECRET_KEY"] = "bench-only"

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from scripts import hostile  # noqa: E402
from scripts.benchkit import served_scratch_database  # noqa: E402


def seed() -> tuple[dict[str, str], object]:
    from django.contrib.auth import get_user_model

    from lookup.models import Entry
    from notes.models import Note

    note = Note(title="n", slug="n", body="## 一覧\n\n```sh\nls -la\n```\n")
    note.save_with_tags(["t"])
    entry = Entry.objects.create(tasks=["一覧"], command="ls -la", note=note, origin="manual")
    admin = get_user_model().objects.create_superuser("fuzz-root", password="fuzz-only-password")
    return {"str": "n", "int": str(entry.pk), "path": "n"}, admin


def signed_in_headers(base: str, admin) -> dict[str, str]:
    client = Client()
    client.force_login(admin)
    session = client.cookies["sessionid"].value
    host = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie", "")
    csrf = cookie.split("csrftoken=", 1)[1].split(";", 1)[0]
    conn.close()
    return {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}


def send(base: str, probe: hostile.Probe, auth: dict[str, str]) -> tuple[int, float]:
    host = urllib.parse.urlsplit(base)
    headers = {**auth, **probe.headers}
    if "Cookie" in auth and "Cookie" in probe.headers:
        headers["Cookie"] = probe.headers["Cookie"]
    body = None
    if probe.data is not None:
        body = urllib.parse.urlencode(probe.data).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    start = time.perf_counter()
    try:
        conn.request(probe.method, probe.path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = 599  # the server dropped the connection: as bad as a 500
    finally:
        conn.close()
    return status, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-seconds", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    with served_scratch_database({"KB_EMBEDDINGS": "off"}, threads=4) as serve:
        values, admin = seed()
        base = serve()
        probes = list(hostile.probes(values))
        results: list[tuple[str, hostile.Probe, int, float]] = []
        started = time.perf_counter()
        for who, auth in [("anonymous", {}), ("superuser", signed_in_headers(base, admin))]:
            with ThreadPoolExecutor(args.concurrency) as pool:
                answers = pool.map(lambda p, auth=auth: send(base, p, auth), probes)
                results += [(who, p, s, t) for p, (s, t) in zip(probes, answers, strict=True)]
        elapsed = time.perf_counter() - started

    by_class: dict[str, dict[str, int]] = {}
    for who, _, status, _ in results:
        counts = by_class.setdefault(who, {})
        counts[f"{status // 100}xx"] = counts.get(f"{status // 100}xx", 0) + 1
    times = sorted(t for *_, t in results)
    bad = [r for r in results if r[2] >= 500]
    slow = [r for r in results if r[3] > args.max_seconds]
    print(f"{len(results)} requests ({len(probes)} probes x 2 callers) in {elapsed:.0f} s")
    for who, counts in by_class.items():
        print(f"{who}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(
        f"time p50 {times[len(times) // 2] * 1000:.0f} ms, p99 {times[int(len(times) * 0.99)] * 1000:.0f} ms,"
    )
    print(f"max {times[-1] * 1000:.0f} ms")
    for who, probe, status, seconds in sorted(results, key=lambda r: -r[3])[:5]:
        print(f"  slowest: {seconds * 1000:.0f} ms {status} {who} {probe.method} {probe.path[:80]}")
    for who, probe, status, seconds in bad + slow:
        print(f"FAIL {status} {seconds:.1f} s {who} {probe.method} {probe.path[:100]} {list(probe.headers)}")
    print(f"5xx: {len(bad)}, over {args.max_seconds:g} s: {len(slow)}")
    return 1 if bad or slow else 0


if __name__ == "__main__":
    sys.exit(main())
