from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notes.importing import import_paths
from notes.models import Note

STARTER_DIR = Path(__file__).resolve().parents[2] / "starter"


class Command(BaseCommand):
    help = "Load the starter notes, only when the database has no notes yet."

    def handle(self, *args, **options):
        if Note.objects.exists():
            self.stdout.write("Notes exist already; starter notes not loaded.")
            return
        report = import_paths([STARTER_DIR])
        if report.errors:
            raise CommandError("; ".join(f"{name}: {reason}" for name, reason in report.errors))
        self.stdout.write(f"Loaded {len(report.created)} starter notes.")
