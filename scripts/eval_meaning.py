"""Cross-language and fresh same-language quality of search and lookup (make eval-meaning).

Works in the kb_eval database (seed notes split by "##", the starter notes and all of
../shared/corpora/tldr, with vectors), importing and embedding on first use. Each set in
scripts/eval/ is split into halves A and B before any tuning: the ranking was tuned on A
only, so B is the honest figure and a gap between the two is overfitting.

Usage: python scripts/eval_meaning.py [--skip-import] [--half A|B] [-v]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_lookup import hit, setup_django  # noqa: E402
from evalkit import labels  # noqa: E402

SETS = ROOT / "scripts" / "eval"
SEED = ROOT.parent / "shared" / "corpora" / "seed" / "docker-notes.md"


def read_set(name: str) -> list[tuple[str, str, str, str]]:
    """(half, group, query, labels) rows of scripts/eval/<name>.tsv."""
    rows = []
    for line in (SETS / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            half, group, query, labels = line.split("\t")[:4]
            rows.append((half.strip(), group.strip(), query.strip(), labels.strip()))
    return rows


def label_map() -> dict[str, int]:
    from notes.models import Note

    found = labels(SEED)
    for key, pk in Note.objects.filter(import_key__startswith="tldr:").values_list("import_key", "pk"):
        found[key] = pk
    return found


def dense_only(q: str) -> list[int]:
    from search.queries import meaning

    sims = meaning(q).similarity
    return sorted(sims, key=lambda i: -sims[i])


def eval_search(name: str, half: str | None, verbose: bool) -> None:
    from search.queries import search

    labels = label_map()
    systems = {
        "words": lambda q: search(q, semantic=False).ids,
        "meaning": dense_only,
        "kb": lambda q: search(q).ids,
    }
    acc: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for h, group, q, names in read_set(name):
        if half and h != half:
            continue
        wanted = names.split()
        unknown = [n for n in wanted if n not in labels]
        if unknown:
            print(f"  unknown labels {unknown} in {q!r}", file=sys.stderr)
        relevant = {labels[n] for n in wanted if n in labels}
        for system, run in systems.items():
            ranked = run(q)[:10]
            rank = next((i + 1 for i, pk in enumerate(ranked) if pk in relevant), None)
            acc[(system, group, h)].append((1 / rank if rank else 0.0, 1.0 if rank and rank <= 5 else 0.0))
            if verbose and system == "kb" and rank != 1:
                print(f"  {h} {group} rank {rank or '>10'}: {q}")
    _table(name, acc, ("MRR@10", "hit@5"))


def eval_lookup(name: str, half: str | None, verbose: bool) -> None:
    from lookup import placeholders
    from lookup.models import Entry
    from lookup.ranking import lookup

    systems = {
        "words": lambda q: lookup(Entry.objects.all(), q, 3, semantic=False),
        "kb": lambda q: lookup(Entry.objects.all(), q, 3),
    }
    acc: dict[tuple[str, str, str], list[tuple[float]]] = defaultdict(list)
    for h, group, q, expected in read_set(name):
        if half and h != half:
            continue
        prefixes = [e.strip() for e in expected.split("|")]
        for system, run in systems.items():
            commands = [placeholders.fill(e.command, e.preset) for e in run(q)]
            ok = hit(commands, prefixes)
            acc[(system, group, h)].append((1.0 if ok else 0.0,))
            if verbose and system == "kb" and not ok:
                print(f"  {h} {group} MISS {q} -> {prefixes[0]}: {' ; '.join(c[:40] for c in commands)}")
    _table(name, acc, ("hit@3",))


def _table(name: str, acc: dict, metrics: tuple[str, ...]) -> None:
    systems = list(dict.fromkeys(k[0] for k in acc))
    groups = sorted({(k[1], k[2]) for k in acc})
    print(f"\n### {name}\n")
    head = " | ".join(f"{s} {m}" for s in systems for m in metrics)
    print(f"| group | half | n | {head} |")
    print("|---" * (3 + len(systems) * len(metrics)) + "|")
    for group, h in groups:
        cells = []
        n = 0
        for s in systems:
            rows = acc[(s, group, h)]
            n = len(rows)
            cells += [f"{sum(r[i] for r in rows) / n:.3f}" for i in range(len(metrics))]
        print(f"| {group} | {h} | {n} | " + " | ".join(cells) + " |")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--db", default="kb_eval")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--half", choices=["A", "B"])
    parser.add_argument("--only", help="run only the sets whose file name contains this")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    setup_django(args.db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not args.skip_import:
        if not args.corpora.is_dir():
            print(f"corpora not found at {args.corpora}", file=sys.stderr)
            return 2
        from eval_lookup import load

        load(args.corpora)
        # load_starter_notes only fills an empty database; these sets label starter notes too.
        call_command("import_notes", str(ROOT / "notes" / "starter"), verbosity=0)
    started = time.monotonic()
    call_command("embed")
    print(f"(embedding: {time.monotonic() - started:.0f} s)")
    for path in sorted(SETS.glob("*.tsv")):
        if args.only and args.only not in path.name:
            continue
        if path.name.startswith("search"):
            eval_search(path.name, args.half, args.verbose)
        else:
            eval_lookup(path.name, args.half, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
