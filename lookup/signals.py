from django.dispatch import receiver

from lookup.indexing import replace_note_entries
from notes.signals import note_saved


@receiver(note_saved, dispatch_uid="lookup_extract_entries")
def extract_entries(sender, note, **kwargs) -> None:
    if kwargs.get("skip_lookup"):
        return  # bulk importers write entries themselves
    replace_note_entries(note)
