"""tldr alias pages lead to their original page's commands.

A page like ja/common/docker-stats.md only says "このコマンドは `docker container stats`
のエイリアスです" and points at `tldr docker container stats`: it has no example of its
own, so a search for the alias found nothing to run. Here each alias page gets copies of
the original page's entries (the original in the alias page's language when tldr has it,
else the English one), tagged with the alias name, so `docker stats` finds what
`docker container stats` does. Run after every tldr import; idempotent.
"""

from __future__ import annotations

import re

from django.db import transaction

from lookup.indexing import TLDR_KEY_PREFIX, prepare
from lookup.models import Entry
from notes.models import Note

_TARGET_RE = re.compile(r"^`tldr (?P<name>[^`{}]+)`\s*$", re.M)


def target_of(body: str) -> str | None:
    """The command an alias page points at, or None for a page with examples of its own."""
    found = _TARGET_RE.search(body)
    return found.group("name").strip() if found else None


def _key(lang: str, platform: str, name: str) -> str:
    return f"{TLDR_KEY_PREFIX}{lang}/{platform}/{name.replace(' ', '-')}"


def follow() -> int:
    """Give every alias page its original's entries; returns the entries written."""
    tldr = Note.objects.filter(import_key__startswith=TLDR_KEY_PREFIX)
    with_entries = set(
        Entry.objects.filter(note__in=tldr)
        .exclude(command__startswith="tldr ")
        .values_list("note_id", flat=True)
        .distinct()
    )
    keys = dict(tldr.values_list("import_key", "pk"))
    copies: list[Entry] = []
    aliases: list[int] = []
    for note in tldr.only("pk", "title", "body", "import_key").iterator(chunk_size=2000):
        target = target_of(note.body) if "`tldr " in note.body else None
        if not target:
            continue
        lang, platform, _ = note.import_key.removeprefix(TLDR_KEY_PREFIX).split("/", 2)
        candidates = [
            _key(lang, platform, target),
            _key(lang, "common", target),
            _key("en", platform, target),
            _key("en", "common", target),
        ]
        original = next((keys[k] for k in candidates if k in keys and keys[k] != note.pk), None)
        if original is None or original not in with_entries:
            continue  # no such page, or an alias of an alias
        aliases.append(note.pk)
        alias_tag = note.title.split()[0].lower() if note.title else ""
        for e in (
            Entry.objects.filter(note_id=original).exclude(origin=Entry.Origin.MANUAL).order_by("position")
        ):
            copies.append(
                prepare(
                    Entry(
                        tasks=e.tasks,
                        command=e.command,
                        explanation=e.explanation,
                        tags=sorted(set(e.tags) | {alias_tag, note.title.lower()} - {""}),
                        note=note,
                        anchor="",
                        origin=Entry.Origin.TLDR,
                        language=e.language,
                        position=e.position,
                        popularity=e.popularity,
                    )
                )
            )
    with transaction.atomic():
        Entry.objects.filter(note_id__in=aliases).exclude(origin=Entry.Origin.MANUAL).delete()
        Entry.objects.bulk_create(copies, batch_size=1000)
    return len(copies)
