"""Recording, restoring and conflict checks: the logic behind the history views."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max

from history import summaries
from history.models import Revision
from notes.models import Note


def _lock(note_key: int) -> None:
    # Numbering and conflict checks for one note run one at a time: whoever
    # holds the note's row lock decides the next revision number.
    list(Note.objects.select_for_update().filter(pk=note_key).values_list("pk", flat=True))


def _rendered(note: Note) -> dict:
    # The note was rendered on save; its HTML is the revision's.
    return {"body_html": note.body_html, "render_version": note.render_version}


def record(
    note: Note, *, editor=None, message: str = "", message_code: str = "", message_params: dict | None = None
) -> Revision | None:
    """Snapshot the saved note; nothing is recorded when nothing changed.

    ``message`` is what the editor typed; ``message_code`` and ``message_params`` a summary
    kb writes itself (history.summaries).
    """
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
            **_rendered(note),
            tags=tags,
            author=editor if editor is not None and editor.is_authenticated else None,
            message=message[:200],
            message_code=message_code,
            message_params=message_params or {},
        )


Summary = tuple[str, dict]  # (history.summaries code, parameters)


def record_imported(items: Iterable[tuple[Note, list[str], Summary]], *, batch_size: int = 500) -> int:
    """Snapshot many saved notes at once, as bulk-import revisions (no author).

    For importers of reference pages that skip ``note_saved``: one query for
    the latest numbers and one bulk insert instead of a locked round trip per
    note. ``items`` are (note, tag names, (summary code, parameters)).
    """
    items = list(items)
    if not items:
        return 0
    keys = [note.pk for note, _, _ in items]
    with transaction.atomic():
        # The same row locks as ``record`` takes, all at once, so an editor
        # saving one of these notes meanwhile cannot take the same number.
        list(Note.objects.select_for_update().filter(pk__in=keys).values_list("pk", flat=True))
        return _bulk_insert(items, keys, batch_size)


def _bulk_insert(items: list[tuple[Note, list[str], Summary]], keys: list[int], batch_size: int) -> int:
    latest = dict(
        Revision.objects.filter(note_key__in=keys)
        .order_by()
        .values("note_key")
        .annotate(last=Max("number"))
        .values_list("note_key", "last")
    )
    rows = [
        Revision(
            note=note,
            note_key=note.pk,
            number=latest.get(note.pk, 0) + 1,
            kind=Revision.Kind.IMPORT,
            title=note.title,
            slug=note.slug,
            body=note.body,
            **_rendered(note),
            tags=sorted(tags, key=str.lower),
            message_code=summary[0],
            message_params=summary[1],
        )
        for note, tags, summary in items
    ]
    return len(Revision.objects.bulk_create(rows, batch_size=batch_size))


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
            **_rendered(note),
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
        note.save_with_tags(
            list(revision.tags),
            editor=editor,
            message_code=summaries.RESTORED,
            message_params={"number": revision.number},
        )
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

        note_saved.send(sender=Note, note=note, editor=editor, message_code=summaries.UNDELETED)
    return note
