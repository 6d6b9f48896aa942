"""Speed of the command lookup with all tldr pages imported (make bench-lookup).

Uses the same database as the eval (kb_eval: seed notes + all of ../shared/corpora/tldr,
imported if missing), times the ranking in process, then GET /api/lookup against gunicorn
started here on 127.0.0.1 (2 workers), sequentially, a bounded number of requests.
The queries are the eval set's plus what a person sends while typing them (prefixes),
since the page asks as you type.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_lookup  # noqa: E402
from benchkit import start_gunicorn  # noqa: E402

ROOT = eval_lookup.ROOT


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def queries() -> list[str]:
    out = []
    for query, _ in eval_lookup.read_cases(Path(__file__).with_name("lookup_eval.tsv")):
        out.append(query)
        if len(query) > 4:
            out.append(query[: len(query) // 2])  # half-typed
    return out


def start_server() -> tuple[subprocess.Popen, str]:
    return start_gunicorn()


def summary(name: str, times_ms: list[float]) -> str:
    return (
        f"{name}: n={len(times_ms)} p50={statistics.median(times_ms):.1f} ms "
        f"p95={percentile(times_ms, 95):.1f} ms max={max(times_ms):.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the query list")
    args = parser.parse_args()
    eval_lookup.setup_django("kb_eval")
    from lookup.models import Entry

    if Entry.objects.filter(origin="tldr").count() < 1000:
        if not args.corpora.is_dir():
            print(f"corpora not found at {args.corpora}", file=sys.stderr)
            return 2
        eval_lookup.load(args.corpora)
    qs = queries()
    entries = Entry.objects.count()
    print(f"{entries} entries, {len(qs)} distinct queries x {args.rounds} rounds")

    for q in qs:  # warm caches (synonyms, plans) the way a running server has them
        Entry.objects.lookup(q, 10)
    sql = []
    for _ in range(args.rounds):
        for q in qs:
            started = time.perf_counter()
            Entry.objects.lookup(q, 10)
            sql.append((time.perf_counter() - started) * 1000)
    print(summary("ranking in process", sql))

    proc, base = start_server()
    try:
        for q in qs:
            urllib.request.urlopen(f"{base}/api/lookup?q={urllib.parse.quote(q)}", timeout=10).read()
        http = []
        for _ in range(args.rounds):
            for q in qs:
                started = time.perf_counter()
                urllib.request.urlopen(
                    f"{base}/api/lookup?q={urllib.parse.quote(q)}&limit=10", timeout=10
                ).read()
                http.append((time.perf_counter() - started) * 1000)
        print(summary("GET /api/lookup", http))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
