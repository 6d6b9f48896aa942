"""hit@3 of the command lookup over the seed notes and tldr pages.

Imports ../shared/corpora into a separate database (kb_eval on the embedded
server, or $DATABASE_URL if set), then asks every query of lookup_eval.tsv.
Usage: python scripts/eval_lookup.py [--corpora PATH] [--write-benchmarks]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(db_name: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    os.environ.setdefault("DEBUG", "1")  # a local measurement, not a deployment
    if not os.environ.get("DATABASE_URL"):
        from urllib.parse import urlsplit, urlunsplit

        from kb import devdb

        parts = urlsplit(devdb.database_url(ROOT))
        devdb._ensure_database(urlunsplit(parts._replace(path="/postgres")), db_name)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + db_name))
    import django

    django.setup()


def load(corpora: Path) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("import_notes", str(corpora / "seed" / "docker-notes.md"), split=True, verbosity=0)
    call_command("import_tldr", str(corpora / "tldr"))
    # A database kept from an earlier run holds entries from an older extractor
    # (re-imports skip unchanged pages): measure what the code extracts now.
    call_command("rebuild_lookup")


def read_cases(path: Path) -> list[tuple[str, list[str]]]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, expected = line.split("\t")
        cases.append((query, [e.strip() for e in expected.split("|")]))
    return cases


def hit(commands: list[str], expected: list[str]) -> bool:
    return any(" ".join(c.split()).startswith(e) for c in commands for e in expected)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--db", default="kb_eval")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if not args.corpora.is_dir():
        print(f"corpora not found at {args.corpora}", file=sys.stderr)
        return 2
    setup_django(args.db)
    if not args.skip_import:
        load(args.corpora)

    from lookup import placeholders
    from lookup.models import Entry

    cases = read_cases(Path(__file__).with_name("lookup_eval.tsv"))
    hits = {"ja": [0, 0], "en": [0, 0]}
    started = time.monotonic()
    for query, expected in cases:
        results = Entry.objects.lookup(query, 3)
        commands = [placeholders.fill(e.command, e.preset) for e in results]
        ok = hit(commands, expected)
        lang = "ja" if any(ord(c) > 0x3000 for c in query) else "en"
        hits[lang][0] += ok
        hits[lang][1] += 1
        if args.verbose or not ok:
            print(f"{'ok  ' if ok else 'MISS'} {query} → {expected[0]}")
            for c in commands:
                print(f"       {c[:90]}")
    total = sum(h for h, _ in hits.values())
    n = sum(c for _, c in hits.values())
    print(
        f"hit@3 = {total / n:.3f} ({total}/{n}); ja {hits['ja'][0]}/{hits['ja'][1]}, "
        f"en {hits['en'][0]}/{hits['en'][1]} ({Entry.objects.count()} entries; {time.monotonic() - started:.1f}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
