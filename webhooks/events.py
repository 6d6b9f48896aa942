"""Turn a new revision into a webhook event and its JSON payload (pure logic, no HTTP)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from history.diff import diff
from history.models import Revision
from webhooks.models import Event


def event_for(rev: Revision, previous: Revision | None) -> str | None:
    if rev.kind == Revision.Kind.DELETE:
        return Event.DELETED
    if rev.kind != Revision.Kind.EDIT:
        return None  # bulk reference imports would flood every receiver
    if previous is None:
        return Event.CREATED
    if previous.kind == Revision.Kind.DELETE:
        return Event.RESTORED
    return Event.UPDATED


def absolute(path: str) -> str:
    return settings.KB_SITE_URL.rstrip("/") + path


def payload(event: str, rev: Revision, previous: Revision | None) -> dict:
    if event == Event.DELETED:
        note_url = absolute(reverse("trash_detail", args=[rev.note_key]))
    else:
        note_url = absolute(reverse("note_detail", args=[rev.slug]))
    old_body = previous.body if previous is not None and event == Event.UPDATED else ""
    changes = diff(old_body, rev.body) if event in (Event.CREATED, Event.UPDATED) else None
    editor = rev.author
    return {
        "event": event,
        "note": {"id": rev.note_key, "title": rev.title, "slug": rev.slug, "tags": list(rev.tags)},
        "editor": {"username": editor.get_username(), "name": editor.get_full_name()} if editor else None,
        "revision": {
            "number": rev.number,
            # What history shows, also for summaries kb writes itself ("Restored after deletion").
            "message": rev.summary,
            "created_at": rev.created_at.isoformat(),
            "url": absolute(rev.get_absolute_url()) if event != Event.DELETED else None,
        },
        "diff": {
            "lines_added": changes.added if changes else 0,
            "lines_removed": changes.removed if changes else 0,
            "title_changed": previous is not None and previous.title != rev.title,
            "tags_changed": previous is not None and sorted(previous.tags) != sorted(rev.tags),
        },
        "url": note_url,
    }
