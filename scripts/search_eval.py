"""Search quality: kb's search against naive baselines on the seed notes (make eval).

Builds a throw-away database (kb_search_eval), loads the starter notes and the seed file split into
one note per "##" section, then runs the labelled queries in scripts/search-eval.tsv through
kb's search, ILIKE '%query%' and PostgreSQL 'simple' full-text search. Reports MRR@10, hit@5
and precision@5 (relevant notes in the top 5, divided by 5).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["KB_TEST_DB_NAME"] = "kb_search_eval"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from notes.models import Note  # noqa: E402
from search.queries import search  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from evalkit import labels  # noqa: E402

SEED = ROOT.parent / "shared" / "corpora" / "seed" / "docker-notes.md"
QUERIES = ROOT / "scripts" / "search-eval.tsv"


def load_queries() -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            category, query, labels = line.split("\t")
            rows.append((category, query, labels.split()))
    return rows


def label_map() -> dict[str, int]:
    return labels(SEED)


def kb(q: str) -> list[int]:
    return search(q).ids[:10]


def ilike(q: str) -> list[int]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id FROM notes_note WHERE title ILIKE %s OR body ILIKE %s "
            "ORDER BY (title ILIKE %s) DESC, id LIMIT 10",
            ["%" + q + "%"] * 3,
        )
        return [r[0] for r in cur.fetchall()]


def simple_fts(q: str) -> list[int]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id FROM notes_note, plainto_tsquery('simple', %s) q "
            "WHERE to_tsvector('simple', title || ' ' || body) @@ q "
            "ORDER BY ts_rank(to_tsvector('simple', title || ' ' || body), q) DESC, id LIMIT 10",
            [q],
        )
        return [r[0] for r in cur.fetchall()]


def scores(ranked: list[int], relevant: set[int]) -> tuple[float, float, float]:
    rr = next((1 / (i + 1) for i, pk in enumerate(ranked[:10]) if pk in relevant), 0.0)
    top5 = [pk for pk in ranked[:5] if pk in relevant]
    return rr, 1.0 if top5 else 0.0, len(top5) / 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list every query kb ranks imperfectly")
    args = parser.parse_args()
    if not SEED.exists():
        sys.exit(f"seed notes not found at {SEED}")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_starter_notes", verbosity=0)
        call_command("import_notes", str(SEED), split=True, verbosity=0, stderr=open(os.devnull, "w"))
        report(args.verbose)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def report(verbose: bool) -> None:
    labels = label_map()
    queries = load_queries()
    systems = {"kb": kb, "ILIKE '%q%'": ilike, "'simple' FTS": simple_fts}
    totals: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    by_cat: dict[tuple[str, str], list[float]] = defaultdict(list)
    misses = []
    for category, q, names in queries:
        missing = [n for n in names if n not in labels]
        if missing:
            sys.exit(f"unknown labels {missing} in query {q!r}")
        relevant = {labels[n] for n in names}
        for name, run in systems.items():
            ranked = run(q)
            s = scores(ranked, relevant)
            totals[name].append(s)
            by_cat[(name, category)].append(s[0])
            if name == "kb" and s[0] < 1:
                first = next((i + 1 for i, pk in enumerate(ranked) if pk in relevant), None)
                misses.append((q, first))
    n = len(queries)
    notes = Note.objects.count()
    print(f"{n} labelled queries over {notes} notes (starter notes + seed split by '##').\n")
    print("| system | MRR@10 | hit@5 | precision@5 |")
    print("|---|---|---|---|")
    for name, rows in totals.items():
        mrr, hit, prec = (sum(r[i] for r in rows) / n for i in range(3))
        print(f"| {name} | {mrr:.3f} | {hit:.3f} | {prec:.3f} |")
    cats = list(dict.fromkeys(c for c, _, _ in queries))
    print("\nMRR@10 by kind of query:\n")
    print("| system | " + " | ".join(f"{c} ({sum(1 for q in queries if q[0] == c)})" for c in cats) + " |")
    print("|---" * (len(cats) + 1) + "|")
    for name in systems:
        cells = (sum(by_cat[(name, c)]) / len(by_cat[(name, c)]) for c in cats)
        print(f"| {name} | " + " | ".join(f"{v:.2f}" for v in cells) + " |")
    if verbose and misses:
        print("\nkb's imperfect queries (rank of the first relevant note):")
        for q, first in misses:
            print(f"  {q!r}: {first or 'not in top 10'}")


if __name__ == "__main__":
    main()
