import time

from django.core.management.base import BaseCommand
from django.db import transaction

from lookup import aliases, lexicon, popularity
from lookup.indexing import TLDR_KEY_PREFIX, entries_for_note, replace_note_entries
from lookup.models import Entry
from notes.models import Note


class Command(BaseCommand):
    help = "Re-extract the lookup entries of every note (hand-written entries are kept)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--team",
            action="store_true",
            help="only the team's own notes: imported tldr pages and their vectors are left as they are",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = 0
        if options["team"]:
            team = Note.objects.exclude(import_key__startswith=TLDR_KEY_PREFIX).prefetch_related("tags")
            with transaction.atomic():
                for note in team.iterator(chunk_size=500):
                    count += replace_note_entries(note, tags=[t.name.lower() for t in note.tags.all()])
            self.stdout.write(f"{count} entries of the team's notes in {time.monotonic() - started:.1f}s")
            return
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
