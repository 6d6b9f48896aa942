"""Render speed: re-rendering every note, and note page times, on seed + tldr.

Imports ../shared/corpora (the seed notes split by "##" and all tldr pages) into a
database of its own (kb_render on the embedded server, or $DATABASE_URL) on first
use, then:

- re-renders every note in memory and stores the HTML in batches, as
  `manage.py render_notes --all` does after a render-version bump;
- times GET /notes/<slug>/ in process (Django's test client, anonymous reader)
  for every seed note and a fixed sample of tldr pages.

It uses only the Note model and the page, so the same script measures an older
checkout too (run it from that checkout's directory with --db of its own).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from eval_lookup import setup_django  # noqa: E402


def load(corpora: Path) -> None:
    from django.core.management import call_command

    from notes.models import Note

    call_command("migrate", verbosity=0)
    if Note.objects.exists():
        return
    started = time.perf_counter()
    call_command("import_notes", str(corpora / "seed" / "docker-notes.md"), split=True, verbosity=0)
    call_command("import_tldr", str(corpora / "tldr"))
    print(f"imported {Note.objects.count()} notes in {time.perf_counter() - started:.0f} s")


def rerender() -> tuple[int, float, float, float]:
    from django.db import transaction

    from notes.models import Note

    started, cpu, count, worst, last_pk = time.perf_counter(), time.process_time(), 0, 0.0, 0
    while True:
        batch = list(Note.objects.filter(pk__gt=last_pk).order_by("pk").only("pk", "title", "body")[:500])
        if not batch:
            break
        for note in batch:
            t = time.perf_counter()
            note.render()
            worst = max(worst, time.perf_counter() - t)
        with transaction.atomic():
            Note.objects.bulk_update(batch, ["body_html", "toc_html", "render_version"])
        count += len(batch)
        last_pk = batch[-1].pk
    return count, time.perf_counter() - started, time.process_time() - cpu, worst


def page_times(reps: int) -> list[float]:
    from django.test import Client

    from notes.models import Note

    seed = list(Note.objects.exclude(import_key__startswith="tldr:").values_list("slug", flat=True))
    tldr = sorted(Note.objects.filter(import_key__startswith="tldr:").values_list("slug", flat=True))
    slugs = seed + random.Random(7).sample(tldr, 200)
    client = Client(HTTP_HOST="localhost")
    for slug in slugs[:20]:  # warm caches and connections
        client.get(f"/notes/{slug}/")
    times = []
    cpu = time.process_time()
    for _ in range(reps):
        for slug in slugs:
            t = time.perf_counter()
            response = client.get(f"/notes/{slug}/")
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (slug, response.status_code)
    print(f"CPU per page in this process: {(time.process_time() - cpu) / len(times) * 1000:.1f} ms")
    return times


def hostile(size: int) -> dict[str, str]:
    """The inputs of issue 12 that held Python-Markdown for seconds to minutes, at about ``size`` characters."""
    return {
        '"["*n + "]"*n': "[" * (size // 2) + "]" * (size // 2),
        "backtick runs": "".join("`" * i + "a" for i in range(1, int((2 * size) ** 0.5))),
        '"!["*n': "![" * (size // 2),
        '"[a]("*n': "[a](" * (size // 4),
        '"<http://a"*n': "<http://a" * (size // 9),
        'nested ">" lines': "\n".join(">" * i + " a" for i in range(1, int((2 * size) ** 0.5))),
        "indented lists": "\n".join("  " * i + "- a" for i in range(int(size**0.5))),
        # A QA pass: unpaired emphasis and brackets held the lookup's command extraction
        # (lookup.wording.clean) for 30 s at 90k characters, after rendering had finished.
        '"*a "*n': "*a " * (size // 3),
        '"~~a "*n': "~~a " * (size // 4),
        '"["*n': "[" * size,
        # One run of backticks: each start scanned the rest of the line for its closer.
        '"a "+"`"*n': "a " + "`" * size,
    }


def time_hostile() -> None:
    """Rendering alone (CPU), then the whole save: the note, its search index, lookup entries
    and links, as the editor's save does (wall time, rolled back)."""
    from django.db import transaction

    from notes.markdown import render
    from notes.models import Note

    for size in (8_000, 100_000):
        for name, body in hostile(size).items():
            cpu = time.process_time()
            html = render(body).html
            shown = "as text" if "render-notice" in html else "as Markdown"
            rendered = (time.process_time() - cpu) * 1000
            started = time.perf_counter()
            with transaction.atomic():
                Note.objects.create(title=f"hostile {name}", body=body)
                transaction.set_rollback(True)
            saved = (time.perf_counter() - started) * 1000
            print(
                f"{len(body):>7} chars  {name:<18} render {rendered:>6.0f} ms CPU  {shown:<11}  save {saved:>6.0f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="kb_render")
    parser.add_argument(
        "--corpora", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
    )
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--hostile", action="store_true", help="only time the hostile inputs of issue 12")
    args = parser.parse_args()
    setup_django(args.db)
    if args.hostile:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        time_hostile()
        return
    load(args.corpora)
    count, seconds, cpu, worst = rerender()
    print(
        f"re-rendered {count} notes in {seconds:.1f} s wall, {cpu:.1f} s CPU in this process "
        f"({count / seconds:.0f} notes/s; slowest note {worst * 1000:.0f} ms)"
    )
    times = sorted(page_times(args.reps))
    q = statistics.quantiles(times, n=100)
    print(
        f"note page GET, {len(times)} requests: p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, max {times[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
