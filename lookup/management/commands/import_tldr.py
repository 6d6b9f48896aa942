import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lookup.tldr_import import import_tldr


class Command(BaseCommand):
    help = "Import a tldr pages folder (pages/ → en, pages.ja/ → ja); platform folders become tags."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", type=Path, help="a tldr checkout, a pages*/ folder or one platform folder"
        )

    def handle(self, *args, path: Path, **options):
        started = time.monotonic()
        try:
            report = import_tldr(path, progress=lambda msg: self.stdout.write(msg))
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        for name, reason in report.errors:
            self.stderr.write(self.style.ERROR(f"error: {name}: {reason}"))
        self.stdout.write(
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.entries} entries written, {len(report.errors)} failed "
            f"in {time.monotonic() - started:.1f}s"
        )
