"""Entries derived from notes, and the fields every entry derives from itself."""

from __future__ import annotations

import re

from django.db import transaction

from lookup import placeholders
from lookup.extract import extract, is_question, task_head
from lookup.models import (
    MAX_COMMAND_CHARS,
    MAX_EXPLANATION_CHARS,
    MAX_TAG_CHARS,
    MAX_TASK_CHARS,
    MAX_TASKS,
    Entry,
    entry_tag,
)
from lookup.tldr import parse_page, summary
from notes.controls import terminal_control, terminal_safe
from notes.models import REFERENCE_KEY_PREFIX
from search.tokenize import to_tsvector_literal

_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
TLDR_KEY_PREFIX = REFERENCE_KEY_PREFIX
# Ranking prior of the team's own entries: above most tldr pages, below the classics.
NOTE_PRIOR = 0.8


def language_of(texts: list[str]) -> str:
    return "ja" if any(_CJK_RE.search(t) for t in texts) else "en"


def prepare(entry: Entry) -> Entry:
    """Fill the derived columns (call before save or bulk_create)."""
    entry.tasks = [t.strip()[:MAX_TASK_CHARS] for t in entry.tasks if t and t.strip()][:MAX_TASKS]
    entry.command = entry.command.strip()
    # A sentence around a command is context, not content: cutting it loses nothing needed.
    entry.explanation = entry.explanation.strip()[:MAX_EXPLANATION_CHARS]
    entry.tags = list(dict.fromkeys(entry_tag(t)[:MAX_TAG_CHARS] for t in entry.tags if t.strip()))
    entry.command_key = placeholders.command_key(entry.command)
    # Length as shown (choices at their first spelling, fields as one word each).
    entry.command_len = min(len(placeholders.fill(entry.command).split()), 32767)
    # A tldr page's description says what the command is for (B, like the title); the
    # explanation of an extracted entry is the sentence around it, which may be about
    # something else (D, barely counted by ranking).
    describes = entry.origin == Entry.Origin.TLDR
    # Found tasks are kept whole; their asides rank like an explanation. A hand-written
    # task is what someone chose to type, all of it.
    heads, details = entry.tasks, []
    if entry.origin != Entry.Origin.MANUAL:
        split = [task_head(t) for t in entry.tasks]
        heads, details = [h for h, _ in split], [d for _, d in split if d]
    # A question ("…消してはいけないのか？") does not say what the note's commands do; a
    # title's asides count as little as a task's: 「コンテナからイメージを作る(docker cpやexecで
    # 中に入ったあと)」 is about making an image, and its 入る made `docker commit` the answer
    # to 「コンテナに入りたい」.
    title = entry.note.title if entry.note_id and not is_question(entry.note.title) else ""
    title, title_aside = task_head(title) if title else ("", "")
    entry.search_vector = to_tsvector_literal(
        {
            "A": heads,
            "B": [*entry.tags, title, entry.explanation if describes else ""],
            "C": [placeholders.command_words(entry.command)],
            "D": [*details, title_aside, "" if describes else entry.explanation],
        }
    )
    return entry


def is_tldr_note(note) -> bool:
    return bool(note.import_key) and note.import_key.startswith(TLDR_KEY_PREFIX)


def entries_for_note(note, tags: list[str] | None = None, description: str = "") -> list[Entry]:
    """Unsaved entries for everything extract() finds in the note."""
    tldr = is_tldr_note(note)
    if tldr and not description:
        description = summary(parse_page(note.body).description)
    if tags is None:
        tags = [t.lower() for t in note.tags.names()]
    out = []
    for pos, found in enumerate(extract(note.body, note.title)):
        if tldr and found.command.startswith("tldr "):
            continue  # alias pages point at the original page: not a task
        if len(found.command.strip()) > MAX_COMMAND_CHARS:
            continue  # pasted output or a script, not a command someone looks up
        if terminal_control(found.command):
            continue  # an escape sequence pasted into a note is no command to put on a prompt
        entry = Entry(
            tasks=[terminal_safe(t) for t in found.tasks],
            command=found.command,
            explanation=found.explanation or description,
            tags=list(tags) + ([found.command.split()[0].lower()] if tldr else []),
            note=note,
            anchor=found.anchor,
            origin=Entry.Origin.TLDR if tldr else Entry.Origin.EXTRACTED,
            language=language_of(found.tasks),
            position=pos,
            popularity=0.0 if tldr else NOTE_PRIOR,
        )
        out.append(prepare(entry))
    return out


def replace_note_entries(note, **kwargs) -> int:
    """Swap a note's derived entries for freshly extracted ones; manual ones stay."""
    new = entries_for_note(note, **kwargs)
    old = Entry.objects.filter(note=note).exclude(origin=Entry.Origin.MANUAL)
    if is_tldr_note(note):
        # An edited tldr page keeps its commands' prior until the next popularity.refresh().
        prior = dict(old.values_list("command_key", "popularity"))
        for entry in new:
            entry.popularity = prior.get(entry.command_key, entry.popularity)
    with transaction.atomic():
        old.delete()
        Entry.objects.bulk_create(new, batch_size=500)
    return len(new)
