from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notes.importing import import_paths
from notes.models import Note

STARTER_DIR = Path(__file__).resolve().parents[2] / "starter"
TEMPLATES_DIR = STARTER_DIR / "templates"


class Command(BaseCommand):
    help = "Load the starter notes, only when the database has no notes yet."

    def add_arguments(self, parser):
        parser.add_argument(
            "--templates",
            action="store_true",
            help="add only the starter templates (手順書, 障害報告, 議事録) that are missing, to any database",
        )

    def handle(self, *args, templates: bool, **options):
        if templates:
            missing = [p for p in sorted(TEMPLATES_DIR.glob("*.md")) if not _loaded(p)]
            report = import_paths(missing)
            self._check(report)
            self.stdout.write(f"Loaded {len(report.created)} starter templates.")
            return
        if Note.objects.exists():
            self.stdout.write("Notes exist already; starter notes not loaded.")
            return
        report = import_paths([STARTER_DIR])
        self._check(report)
        self.stdout.write(f"Loaded {len(report.created)} starter notes.")

    def _check(self, report) -> None:
        if report.errors:
            raise CommandError("; ".join(f"{name}: {reason}" for name, reason in report.errors))


def _loaded(path: Path) -> bool:
    # Only missing slugs are added, so a template the team has edited is never overwritten.
    for line in path.read_text(encoding="utf-8").splitlines()[1:6]:
        if line.startswith("slug:"):
            return Note.objects.filter(slug=line.split(":", 1)[1].strip()).exists()
    return False
