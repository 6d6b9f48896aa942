from django.dispatch import receiver

from notes.signals import note_saved
from vectors.sync import chunk_notes


@receiver(note_saved, dispatch_uid="vectors.chunk_note")
def on_note_saved(sender, note, **kwargs) -> None:
    # Entries are written by the lookup app's receiver; the worker's sweep picks them up.
    chunk_notes([(note.pk, note.title, note.body, note.import_key)])
