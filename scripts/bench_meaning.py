"""Speed of search and lookup with vectors on seed + tldr (make bench-meaning).

Uses the kb_eval database that `make eval-meaning` builds (seed notes, starter notes and
all of tldr, embedded). Starts gunicorn (2 workers) on 127.0.0.1 and times, in one run,
GET /healthz (the floor), /api/search and /api/lookup. Each query of the eval sets is
sent once as new (its embedding computed in the request) and then twice more (the query
vector cache answers, as it does for the prefixes a person types).
"""

from __future__ import annotations

import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchkit import start_gunicorn  # noqa: E402
from eval_lookup import setup_django  # noqa: E402
from eval_meaning import SETS, read_set  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def row(name: str, times: list[float]) -> str:
    return (
        f"| {name} | {len(times)} | {statistics.median(times):.1f} ms | {percentile(times, 95):.1f} ms"
        f" | {max(times):.1f} ms |"
    )


def timed(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def main() -> int:
    setup_django("kb_eval")
    from vectors.models import EntryVector, NoteChunk

    if not NoteChunk.objects.filter(embedding__isnull=False).exists():
        print("no vectors in kb_eval: run `make eval-meaning` first", file=sys.stderr)
        return 2
    search_q = [q for name in ("search-xlang.tsv", "search-same.tsv") for _, _, q, _ in read_set(name)]
    lookup_q = [q for name in ("lookup-xlang.tsv", "lookup-same.tsv") for _, _, q, _ in read_set(name)]
    print(
        f"{NoteChunk.objects.count()} note chunks and {EntryVector.objects.count()} entry vectors;"
        f" {len(search_q)} search and {len(lookup_q)} lookup queries ({SETS.name}/)\n"
    )
    proc, base = start_gunicorn()
    try:
        for _ in range(20):
            timed(f"{base}/healthz")
        timed(f"{base}/api/search?q=warm")
        timed(f"{base}/api/lookup?q=warm")
        results: dict[str, list[float]] = {}
        for _ in range(3):
            results.setdefault("GET /healthz", []).extend(timed(f"{base}/healthz") for _ in range(50))
        for rnd in range(3):
            label = "new" if rnd == 0 else "repeat"
            for q in search_q:
                url = f"{base}/api/search?q={urllib.parse.quote(q)}&limit=20"
                results.setdefault(f"GET /api/search ({label})", []).append(timed(url))
            for q in lookup_q:
                url = f"{base}/api/lookup?q={urllib.parse.quote(q)}&limit=10"
                results.setdefault(f"GET /api/lookup ({label})", []).append(timed(url))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print("| request | n | p50 | p95 | max |")
    print("|---|---|---|---|---|")
    for name, times in results.items():
        print(row(name, times))
    search_all = results["GET /api/search (new)"] + results["GET /api/search (repeat)"]
    lookup_all = results["GET /api/lookup (new)"] + results["GET /api/lookup (repeat)"]
    print(row("GET /api/search (all)", search_all))
    print(row("GET /api/lookup (all)", lookup_all))
    return 0


if __name__ == "__main__":
    sys.exit(main())
