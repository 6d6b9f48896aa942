"""Copy uploaded images from the local media folder into the configured bucket."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from notes import media

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Copy every file under MEDIA_ROOT (or --from DIR) into the object storage named by "
        "KB_S3_BUCKET, under the same name. Files already there with the same size are skipped, "
        "so running it again after an interruption only copies what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="source", type=Path, help="the old media folder (default MEDIA_ROOT)"
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="replace a stored file whose size differs (default: warn)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, source: Path | None, overwrite: bool, no_progress: bool, **options):
        if media.on_disk():
            raise CommandError(
                "KB_S3_BUCKET is not set: media already lives on disk, there is nowhere to copy to"
            )
        source = source or Path(settings.MEDIA_ROOT)
        if not source.is_dir():
            raise CommandError(f"{source} is not a folder")
        files = sorted(p for p in source.rglob("*") if p.is_file())
        total_bytes = sum(p.stat().st_size for p in files)
        copied = skipped = differing = 0
        done_bytes = 0
        for i, path in enumerate(files, 1):
            name = path.relative_to(source).as_posix()
            size = path.stat().st_size
            if media.clean_name(name) is None:
                self.stderr.write(self.style.WARNING(f"\nwarning: not a valid media name, skipped: {name}"))
            elif media.exists(name) and default_storage.size(name) == size:
                skipped += 1
            elif media.exists(name) and not overwrite:
                differing += 1
                self.stderr.write(
                    self.style.WARNING(
                        f"\nwarning: {name} is already stored with another size; kept (--overwrite)"
                    )
                )
            else:
                if media.exists(name):
                    default_storage.delete(name)
                with path.open("rb") as f:
                    stored = default_storage.save(name, File(f, name=name))
                if stored != name:  # only if another writer took the name meanwhile
                    raise CommandError(f"{name} was stored as {stored}; run the command again")
                copied += 1
            done_bytes += size
            if not no_progress:
                self._progress(i, len(files), done_bytes, total_bytes)
        if files and not no_progress:
            sys.stderr.write("\n")
        self.stdout.write(
            f"{copied} copied, {skipped} already there, {differing} differing (kept) "
            f"of {len(files)} files ({total_bytes / 1e6:.1f} MB) into bucket {settings.KB_S3_BUCKET}"
        )

    def _progress(self, i: int, n: int, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stderr.write(f"\r[{bar}] {i}/{n} files, {done / 1e6:.1f}/{total / 1e6:.1f} MB", ending="")
        self.stderr.flush()
