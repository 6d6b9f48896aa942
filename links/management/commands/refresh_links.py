"""Rebuild the wiki-link table from the notes' stored HTML (after an upgrade or a bulk import)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from links import linking
from notes.models import Note


class Command(BaseCommand):
    help = "Rebuild the [[wiki link]] table from every note that has wiki links."

    def handle(self, *args, **options) -> None:
        count = 0
        for note in Note.objects.filter(body_html__contains='class="wikilink"').iterator():
            linking.refresh(note)
            count += 1
        self.stdout.write(f"refreshed the links of {count} notes")
