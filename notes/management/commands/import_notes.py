from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notes.archive import import_zip
from notes.importing import Report, import_paths


class Command(BaseCommand):
    help = (
        "Import Markdown files or folders as notes (front matter: title, slug, tags), or a zip: "
        "a kb export, an Obsidian vault or a GitHub wiki, with its images."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--split",
            action="store_true",
            help="One note per '##' section; the file's '#' title becomes a tag.",
        )

    def handle(self, *args, paths, split, **options):
        report = Report()
        plain = [p for p in paths if not (p.is_file() and p.suffix.lower() == ".zip")]
        parts = [import_zip(p, split=split) for p in paths if p not in plain]
        if plain:
            parts.append(import_paths(plain, split=split))
        for part in parts:
            for name in ("created", "updated", "unchanged", "errors", "warnings"):
                getattr(report, name).extend(getattr(part, name))
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
