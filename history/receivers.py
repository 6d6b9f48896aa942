from __future__ import annotations

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from history import revisions
from notes.models import Note
from notes.signals import note_saved


@receiver(note_saved, dispatch_uid="history.record")
def record_revision(
    sender,
    note: Note,
    editor=None,
    message: str = "",
    message_code: str = "",
    message_params: dict | None = None,
    **kwargs,
) -> None:
    revisions.record(
        note, editor=editor, message=message, message_code=message_code, message_params=message_params
    )


@receiver(pre_delete, sender=Note, dispatch_uid="history.record_deletion")
def record_deletion(sender, instance: Note, **kwargs) -> None:
    # pre_delete, while the note's tags can still be read. Views that know
    # who deletes set ``_deleted_by`` on the instance.
    revisions.record_deletion(instance, editor=getattr(instance, "_deleted_by", None))
