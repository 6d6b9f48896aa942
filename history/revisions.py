"""Recording, restoring and conflict checks: the logic behind the history views."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from history.models import Revision
from notes.models import Note


def _lock(note_key: int) -> None:
    # Numbering and conflict checks for one note run one at a time: whoever
    # holds the note's row lock decides the next revision number.
    list(Note.objects.select_for_update().filter(pk=note_key).values_list("pk", flat=True))


def record(note: Note, *, editor=None, message: str = "") -> Revision | None:
    """Snapshot the saved note; nothing is recorded when nothing changed."""
    tags = sorted(note.tags.names(), key=str.lower)
    with transaction.atomic():
        _lock(note.pk)
        last = Revision.objects.of(note.pk).first()
        if (
            last is not None
            and last.kind != Revision.Kind.DELETE
            and last.same_content(note.title, note.body, tags)
        ):
            return None
        return Revision.objects.create(
            note=note,
            note_key=note.pk,
            number=(last.number + 1) if last else 1,
            title=note.title,
            slug=note.slug,
            body=note.body,
            tags=tags,
            author=editor if editor is not None and editor.is_authenticated else None,
            message=message[:200],
        )


def record_deletion(note: Note, *, editor=None) -> Revision:
    with transaction.atomic():
        _lock(note.pk)
        last_number = Revision.objects.latest_number(note.pk)
        return Revision.objects.create(
            note=None,
            note_key=note.pk,
            number=last_number + 1,
            kind=Revision.Kind.DELETE,
            title=note.title,
            slug=note.slug,
            body=note.body,
            tags=sorted(note.tags.names(), key=str.lower),
            author=editor if editor is not None and editor.is_authenticated else None,
        )


def current_number(note: Note) -> int:
    return Revision.objects.latest_number(note.pk)


def lock_for_edit(note_key: int) -> tuple[Note | None, int]:
    """Inside a transaction: lock the note and return it with its latest revision number."""
    note = Note.objects.select_for_update().filter(pk=note_key).first()
    return note, Revision.objects.latest_number(note_key)


def restore(revision: Revision, *, editor) -> Note:
    """Make an old revision current again; the restore is itself a new revision."""
    with transaction.atomic():
        note = Note.objects.select_for_update().get(pk=revision.note_key)
        note.title, note.body = revision.title, revision.body
        message = _("Restored revision %(number)d") % {"number": revision.number}
        note.save_with_tags(list(revision.tags), editor=editor, message=message)
    return note


def undelete(note_key: int, *, editor) -> Note:
    """Bring a deleted note back from its last revision, under its old id."""
    with transaction.atomic():
        _lock(note_key)
        if Note.objects.filter(pk=note_key).exists():
            return Note.objects.get(pk=note_key)
        last = Revision.objects.of(note_key).select_for_update().first()
        if last is None:
            raise Revision.DoesNotExist
        slug = last.slug
        if Note.objects.filter(slug=slug).exists():
            slug = Note.objects.unique_slug(last.title)
        note = Note(pk=note_key, title=last.title, slug=slug, body=last.body, author=editor)
        note.save(force_insert=True)
        Revision.objects.filter(note_key=note_key).update(note=note)
        note.tags.set(list(last.tags))
        from notes.signals import note_saved

        note_saved.send(sender=Note, note=note, editor=editor, message=_("Restored after deletion"))
    return note
