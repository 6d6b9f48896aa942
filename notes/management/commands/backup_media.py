"""Copy every stored upload (disk or bucket) into a folder: a backup migrate_media can restore."""

from __future__ import annotations

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from notes import media


def stored_names(folder: str = "") -> list[str]:
    """Every file name in media storage, under ``folder``, sorted."""
    dirs, files = default_storage.listdir(folder)
    names = [f"{folder}{name}" for name in files]
    for sub in dirs:
        names += stored_names(f"{folder}{sub}/")
    return sorted(names)


class Command(BaseCommand):
    help = (
        "Copy every uploaded image from media storage (the bucket when KB_S3_BUCKET is set) into "
        "DIRECTORY under the same names. Files already there with the same size are skipped. "
        "Restore with: manage.py migrate_media --from DIRECTORY"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        copied = skipped = 0
        names = stored_names()
        for name in names:
            if media.clean_name(name) is None:
                self.stderr.write(self.style.WARNING(f"warning: not a valid media name, skipped: {name}"))
                continue
            dest = directory / name
            if dest.is_file() and dest.stat().st_size == default_storage.size(name):
                skipped += 1
                continue
            data = media.read(name)
            if data is None:
                continue  # deleted meanwhile
            dest.parent.mkdir(parents=True, exist_ok=True)
            partial = dest.with_name(dest.name + ".partial")
            partial.write_bytes(data)
            partial.replace(dest)
            copied += 1
        self.stdout.write(
            f"{copied} copied, {skipped} already there, of {len(names)} stored files into {directory}"
        )
