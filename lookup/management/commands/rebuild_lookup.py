import time

from django.core.management.base import BaseCommand
from django.db import transaction

from lookup import aliases, lexicon, popularity
from lookup.indexing import entries_for_note
from lookup.models import Entry
from notes.models import Note


class Command(BaseCommand):
    help = "Re-extract the lookup entries of every note (hand-written entries are kept)."

    def handle(self, *args, **options):
        started = time.monotonic()
        count = 0
        with transaction.atomic():
            Entry.objects.exclude(origin=Entry.Origin.MANUAL).delete()
            buffer: list[Entry] = []
            for note in Note.objects.prefetch_related("tags").iterator(chunk_size=1000):
                tags = [t.name.lower() for t in note.tags.all()]
                buffer.extend(entries_for_note(note, tags=tags))
                if len(buffer) >= 5000:
                    count += len(Entry.objects.bulk_create(buffer, batch_size=1000))
                    buffer = []
            count += len(Entry.objects.bulk_create(buffer, batch_size=1000))
            count += aliases.follow()
            popularity.refresh()
            lexicon.learn()
        self.stdout.write(f"{count} entries in {time.monotonic() - started:.1f}s")
