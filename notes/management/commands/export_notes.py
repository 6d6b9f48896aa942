from pathlib import Path

from django.core.management.base import BaseCommand

from notes.exporting import export_notes


class Command(BaseCommand):
    help = "Write every note to DIR as <slug>.md with YAML front matter."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        written = export_notes(directory)
        self.stdout.write(f"{len(written)} notes written to {directory}")
