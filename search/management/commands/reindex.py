import time

from django.core.management.base import BaseCommand

from search.indexing import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index and typo vocabulary from all notes."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        count = reindex_all()
        self.stdout.write(f"Indexed {count} notes in {time.monotonic() - started:.1f} s.")
