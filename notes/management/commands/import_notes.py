from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notes.importing import import_paths


class Command(BaseCommand):
    help = "Import Markdown files or folders as notes (front matter: title, slug, tags)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--split",
            action="store_true",
            help="One note per '##' section; the file's '#' title becomes a tag.",
        )

    def handle(self, *args, paths, split, **options):
        report = import_paths(paths, split=split)
        for name, message in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {name}: {message}"))
        for name, reason in report.errors:
            self.stderr.write(self.style.ERROR(f"error: {name}: {reason}"))
        self.stdout.write(
            f"{len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.errors)} files failed"
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)} file(s) could not be imported (see above)")
