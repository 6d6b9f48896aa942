"""Re-render notes whose stored HTML came from an older renderer (or all, with --all)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from notes import markdown
from notes.models import Note

BATCH = 500


class Command(BaseCommand):
    help = "Rebuild the stored HTML of notes rendered by an older renderer version."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="re-render every note, not only stale ones")

    def handle(self, *args, all: bool = False, **options) -> None:
        notes = Note.objects.order_by("pk")
        if not all:
            notes = notes.exclude(render_version=markdown.RENDER_VERSION)
        started, done, last_pk = time.perf_counter(), 0, 0
        while True:
            batch = list(notes.filter(pk__gt=last_pk).only("pk", "title", "body")[:BATCH])
            if not batch:
                break
            for note in batch:
                note.render()
            with transaction.atomic():
                # Rendering only: updated_at and the derived data stay as they are.
                Note.objects.bulk_update(batch, ["body_html", "toc_html", "render_version"])
            done += len(batch)
            last_pk = batch[-1].pk
        seconds = time.perf_counter() - started
        self.stdout.write(f"rendered {done} notes in {seconds:.1f} s")
