"""`make load`: a bounded loopback load on kb, the way the Dockerfile runs it.

gunicorn (2 workers x 4 threads) on 127.0.0.1 over a throw-away database
(kb_load) with the starter notes; N client threads each loop over a mix of
pages, searches, lookups and the API for S seconds, one request at a time on
a keep-alive connection. Prints requests/s, p50/p95/p99 per URL and overall,
and every error (non-2xx/3xx answer or dropped connection). /healthz is in the
mix to show what the container health check sees under load.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["KB_TEST_DB_NAME"] = "kb_load"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from scripts.benchkit import served_scratch_database  # noqa: E402

MIX = [
    "/",
    "/notes/{slug}/",
    "/search/?q=コンテナ+削除",
    "/api/search?q=docker+volume",
    "/lookup/?q=イメージを消す",
    "/api/lookup?q=ports",
    "/q/docker+logs",
    "/tags/",
    "/changes/",
    "/healthz",
]


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p))]


def client(base: str, urls: list[str], deadline: float, offset: int, out: dict, errors: list) -> None:
    host = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    i = offset
    while time.perf_counter() < deadline:
        url = urls[i % len(urls)]
        i += 1
        start = time.perf_counter()
        try:
            conn.request("GET", urllib.parse.quote(url, safe="/?=&+"))
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            status = 0
            conn.close()
            conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
            errors.append(f"{url}: {type(exc).__name__}")
        elapsed = time.perf_counter() - start
        out.setdefault(url, []).append(elapsed)
        if status and not 200 <= status < 400:
            errors.append(f"{url}: HTTP {status}")
    conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--embeddings", default="off", help="KB_EMBEDDINGS for the server (off: lexical search only)"
    )
    args = parser.parse_args()
    with served_scratch_database({"KB_EMBEDDINGS": args.embeddings}, threads=4) as serve:
        call_command("load_starter_notes")
        from notes.models import Note

        slug = Note.objects.order_by("pk").values_list("slug", flat=True).first()
        urls = [u.format(slug=slug) for u in MIX]
        base = serve()
        for url in urls:  # warm both workers
            for _ in range(2):
                client(base, [url], time.perf_counter() + 0.001, 0, {}, [])
        results: list[dict[str, list[float]]] = [{} for _ in range(args.clients)]
        errors: list[str] = []
        deadline = time.perf_counter() + args.seconds
        threads = [
            threading.Thread(target=client, args=(base, urls, deadline, i, results[i], errors))
            for i in range(args.clients)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started

    per_url: dict[str, list[float]] = {}
    for r in results:
        for url, times in r.items():
            per_url.setdefault(url, []).extend(times)
    everything = sorted(t for times in per_url.values() for t in times)
    print(
        f"{args.clients} clients x {args.seconds:g} s on {os.cpu_count()} cores, embeddings={args.embeddings}"
    )
    print(f"{len(everything)} requests in {elapsed:.1f} s = {len(everything) / elapsed:.0f} req/s")
    print(f"{'url':32} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for url in urls:
        times = sorted(per_url.get(url, []))
        print(
            f"{url[:32]:32} {len(times):6d} {percentile(times, 0.5) * 1000:8.0f} "
            f"{percentile(times, 0.95) * 1000:8.0f} {percentile(times, 0.99) * 1000:8.0f}"
        )
    print(
        f"{'all':32} {len(everything):6d} {percentile(everything, 0.5) * 1000:8.0f} "
        f"{percentile(everything, 0.95) * 1000:8.0f} {percentile(everything, 0.99) * 1000:8.0f}"
    )
    print(f"mean {statistics.fmean(everything) * 1000:.0f} ms, max {everything[-1] * 1000:.0f} ms")
    print(f"errors: {len(errors)}")
    for line in sorted(set(errors))[:20]:
        print(f"  {line} (x{errors.count(line)})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
