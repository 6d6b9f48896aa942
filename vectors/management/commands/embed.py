"""manage.py embed: compute every missing or stale vector, then exit (or keep watching)."""

from __future__ import annotations

import os
import signal
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, close_old_connections

from vectors import search, worker
from vectors.backends import EmbeddingError, backend
from vectors.sync import sweep

SWEEP_EVERY = 10.0  # seconds between looks for rows that changed without a signal


class Command(BaseCommand):
    help = "Embed notes and lookup entries that have no vector from the current model."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--watch", action="store_true", help="Keep running and embed new work as it comes."
        )
        parser.add_argument("--batch", type=int, default=32, help="Rows per model call (default 32).")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between polls with --watch.")

    def handle(self, *args, watch: bool, batch: int, interval: float, **options) -> None:
        # Web processes embed one short query each on one thread; this one has whole batches.
        model = backend(threads=settings.KB_EMBEDDINGS_THREADS or os.cpu_count() or 1)
        if model is None:
            self.stdout.write("Embeddings are switched off (KB_EMBEDDINGS=off); nothing to do.")
            return
        self._stop = False
        if watch:
            signal.signal(signal.SIGTERM, self._request_stop)
            signal.signal(signal.SIGINT, self._request_stop)
            self._watch(model, batch, interval)
            return
        chunks, entries = sweep()
        total = worker.pending(model)
        self.stdout.write(
            f"{model.name}: {total} rows to embed ({chunks} note chunks and {entries} entries refreshed)"
        )
        if not total:
            return
        started, done = time.monotonic(), 0

        def progress(n: int) -> None:
            nonlocal done
            done += n
            self._bar(done, total, time.monotonic() - started)

        try:
            worker.drain(model, batch, progress)
        except EmbeddingError as exc:
            raise CommandError(f"embedding failed after {done} rows: {exc}") from exc
        if sys.stdout.isatty() or self.stdout.isatty():
            self.stdout.write("")
        self.stdout.write(f"embedded {done} rows in {time.monotonic() - started:.1f} s")

    def _bar(self, done: int, total: int, elapsed: float) -> None:
        width = 30
        filled = int(width * min(done, total) / max(total, 1))
        rate = done / elapsed if elapsed else 0
        eta = (total - done) / rate if rate else 0
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  {rate:.0f}/s  eta {eta:.0f} s"
        if self.stdout.isatty():
            self.stdout.write("\r" + line, ending="")
        elif done == total or done % (batch_log := 1024) < 32 or done < batch_log:
            self.stdout.write(line)

    def _request_stop(self, signum, frame) -> None:
        self._stop = True

    def _watch(self, model, batch: int, interval: float) -> None:
        self.stdout.write(f"embedding worker for {model.name}: watching for work (Ctrl-C stops)")
        last_sweep = 0.0
        delay = interval
        while not self._stop:
            try:
                close_old_connections()
                if time.monotonic() - last_sweep > SWEEP_EVERY:
                    sweep()
                    search.forget_old_queries()
                    last_sweep = time.monotonic()
                n = worker.run_batch(model, batch)
                if n:
                    self.stdout.write(f"embedded {n}")
                    delay = interval
                    continue
            except (EmbeddingError, OperationalError) as exc:
                # The endpoint or the database is away: wait longer each time, never die.
                self.stderr.write(f"embedding paused: {exc}")
                delay = min(delay * 2, 60.0)
            self._sleep(delay)
        self.stdout.write("embedding worker stopped")

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self._stop and time.monotonic() < end:
            time.sleep(min(0.2, end - time.monotonic()))
