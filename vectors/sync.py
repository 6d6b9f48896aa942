"""Keep the vector tables' rows (text, digest, no vector yet) in step with their sources.

Cheap and synchronous: chunking is string work. Embedding happens later in the worker.
Notes are chunked on every ``note_saved``; ``sweep()`` catches what no signal announced
(bulk imports, restored backups, entries written in bulk) and is safe to run from several
workers at once: every write is an upsert or an insert that ignores conflicts.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction

from notes.models import REFERENCE_KEY_PREFIX
from search.parse import STOP_WORDS_EN
from search.wordforms import japanese_words
from vectors.chunking import chunk_note, plain

# Bump when chunking (NOTE_VERSION) or entry_text() (ENTRY_VERSION) changes, so those rows
# are rebuilt; a passage whose text comes out the same keeps its vector.
NOTE_VERSION = "6"
ENTRY_VERSION = "6"
# The same text, digested in SQL and in Python, says whether a row's source changed.
NOTE_DIGEST = f"md5('{NOTE_VERSION}' || E'\\n' || n.title || E'\\n' || n.body)"
ENTRY_DIGEST = (
    f"md5('{ENTRY_VERSION}' || E'\\n' || array_to_string(e.tasks, E'\\n') || E'\\n' || e.command"
    " || E'\\n' || e.explanation)"
)

_UPSERT_CHUNK = """
INSERT INTO vectors_notechunk (note_id, position, heading, text, digest, source_digest, reference, model, dims)
VALUES (%s, %s, %s, %s, %s, %s, %s, '', 0)
ON CONFLICT (note_id, position) DO UPDATE SET
    heading = EXCLUDED.heading, text = EXCLUDED.text, source_digest = EXCLUDED.source_digest,
    digest = EXCLUDED.digest, reference = EXCLUDED.reference,
    -- an unchanged passage keeps its vector; a changed one goes back in the queue
    embedding = CASE WHEN vectors_notechunk.digest = EXCLUDED.digest THEN vectors_notechunk.embedding END,
    claimed_until = CASE WHEN vectors_notechunk.digest = EXCLUDED.digest
        THEN vectors_notechunk.claimed_until END
"""

_STALE_NOTES = f"""
SELECT n.id, n.title, n.body, n.import_key FROM notes_note n
WHERE NOT EXISTS (SELECT 1 FROM vectors_notechunk c WHERE c.note_id = n.id AND c.position = 0
                  AND c.source_digest = {NOTE_DIGEST})
ORDER BY n.id LIMIT %s
"""

_NEW_ENTRIES = f"""
SELECT e.id, e.note_id, e.tasks, e.command, e.explanation, {ENTRY_DIGEST}, e.origin = 'tldr' FROM lookup_entry e
LEFT JOIN vectors_entryvector v ON v.entry_id = e.id
WHERE v.entry_id IS NULL OR v.digest <> {ENTRY_DIGEST}
ORDER BY e.id LIMIT %s
"""

_UPSERT_ENTRY = """
INSERT INTO vectors_entryvector (entry_id, note_id, text, digest, reference, model, dims)
SELECT u.e, u.n, u.t, u.d, u.r, '', 0
FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::boolean[]) AS u(e, n, t, d, r)
ON CONFLICT (entry_id) DO UPDATE SET note_id = EXCLUDED.note_id, text = EXCLUDED.text,
    digest = EXCLUDED.digest, reference = EXCLUDED.reference,
    -- the same words keep their vector (a new ENTRY_VERSION re-embeds only what it changed)
    embedding = CASE WHEN vectors_entryvector.text = EXCLUDED.text THEN vectors_entryvector.embedding END,
    claimed_until = CASE WHEN vectors_entryvector.text = EXCLUDED.text THEN vectors_entryvector.claimed_until END
"""


# The words a query word may translate into (vectors.words), most used first: English words
# of the English entries' tasks (where a task is said in few words), and Japanese words of
# the team's own notes (what an English question over them needs to reach).
VOCABULARY = 6000  # per language
_ENGLISH_VOCABULARY = """
SELECT w FROM lookup_entry e, regexp_split_to_table(lower(e.tasks[1]), '[^a-z0-9-]+') AS w
WHERE e.language = 'en' AND w ~ '^[a-z][a-z0-9-]*[a-z0-9]$' AND length(w) BETWEEN 3 AND 40
    AND NOT (w = ANY(%s))
GROUP BY w ORDER BY count(*) DESC, w LIMIT %s
"""
WORDS_EVERY = 600.0  # seconds: deleted entries take their words away at this pace
_words_synced = -WORDS_EVERY
_words_source = ""  # what the words were last synced from (_WORDS_SOURCE)
# Changes whenever a team passage does, whichever process wrote it, and when the words
# themselves went (a restored or rolled-back database).
_WORDS_SOURCE = (
    "SELECT coalesce(md5(string_agg(digest, ',' ORDER BY id)), '')"
    " || (SELECT count(*) FROM vectors_wordvector)::text FROM vectors_notechunk WHERE NOT reference"
)


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def chunk_notes(notes: Iterable[tuple[int, str, str, str | None]]) -> int:
    """(Re)chunk notes given as (id, title, body, import_key); returns the chunks written."""
    written = 0
    with transaction.atomic(), connection.cursor() as cur:
        for note_id, title, body, import_key in notes:
            source = md5(f"{NOTE_VERSION}\n{title}\n{body}")
            reference = (import_key or "").startswith(REFERENCE_KEY_PREFIX)
            chunks = chunk_note(title, body, reference=reference)
            cur.executemany(
                _UPSERT_CHUNK,
                [
                    (note_id, c.position, c.heading[:300], c.text, md5(c.text), source, reference)
                    for c in chunks
                ],
            )
            cur.execute(
                "DELETE FROM vectors_notechunk WHERE note_id = %s AND position >= %s", [note_id, len(chunks)]
            )
            written += len(chunks)
    return written


# An aside in brackets: "(running and stopped)", "(-f を付けなければ…)", "（ホスト側:コンテナ側）".
_ASIDE_RE = re.compile(r"\s*[（(][^()（）]*[)）]")


def entry_text(tasks: list[str], command: str, explanation: str) -> str:
    """What an entry means: the task it is shown under, in words, without its asides.

    The command is left out: its flags and placeholders pull the vector towards every other
    command with the same syntax, and the command's words are matched by the word ranking.
    The page's description is its note's passage. An aside in brackets is left out too: USE
    put 「ポートを公開したい」 at 0.80 from 「ポートを公開して起動する」 and at 0.46 from the same
    task followed by "(ホスト側:コンテナ側)". The words of the aside still count in the word
    ranking.
    """
    task = tasks[0] if tasks else ""
    bare = _ASIDE_RE.sub("", task).strip()
    return bare or task or plain(command)[:100]


def _japanese_vocabulary(cur) -> list[str]:
    counts: Counter[str] = Counter()
    cur.execute("SELECT text FROM vectors_notechunk WHERE NOT reference")
    for (text,) in cur.fetchall():
        counts.update(w for w in japanese_words(text) if len(w) <= 100)
    return [w for w, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:VOCABULARY]]


def sync_words() -> int:
    """Rows for the vocabulary's new words, without those it lost; returns the words added."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(_ENGLISH_VOCABULARY, [sorted(STOP_WORDS_EN), VOCABULARY])
        english = [r[0] for r in cur.fetchall()]
        japanese = _japanese_vocabulary(cur)
        words = english + japanese
        cur.execute("DELETE FROM vectors_wordvector WHERE NOT (text = ANY(%s))", [words])
        cur.execute(
            "INSERT INTO vectors_wordvector (text, language, digest, model, dims)"
            " SELECT w, l, md5(w), '', 0 FROM unnest(%s::text[], %s::text[]) AS u(w, l)"
            " ON CONFLICT (text) DO NOTHING",
            [words, ["en"] * len(english) + ["ja"] * len(japanese)],
        )
        return cur.rowcount


def sweep(batch: int = 2000) -> tuple[int, int]:
    """Write rows for notes and entries that changed without a signal; (chunks, entries)."""
    chunks = entries = 0
    while True:
        with connection.cursor() as cur:
            cur.execute(_STALE_NOTES, [batch])
            rows = cur.fetchall()
        if not rows:
            break
        chunks += chunk_notes(rows)
        if len(rows) < batch:
            break
    while True:
        with connection.cursor() as cur:
            cur.execute(_NEW_ENTRIES, [batch])
            rows = cur.fetchall()
            if not rows:
                break
            cur.execute(
                _UPSERT_ENTRY,
                [
                    [r[0] for r in rows],
                    [r[1] for r in rows],
                    [entry_text(r[2], r[3], r[4]) for r in rows],
                    [r[5] for r in rows],
                    [r[6] for r in rows],
                ],
            )
        entries += len(rows)
        if len(rows) < batch:
            break
    global _words_synced, _words_source
    with connection.cursor() as cur:
        cur.execute(_WORDS_SOURCE)
        source = cur.fetchone()[0]
    # The vocabulary follows new entries and the team's passages at once; what deleted
    # entries leave behind costs nothing but a spare word, so it goes at a slower pace.
    if entries or source != _words_source or time.monotonic() - _words_synced > WORDS_EVERY:
        sync_words()
        with connection.cursor() as cur:
            cur.execute(_WORDS_SOURCE)
            _words_synced, _words_source = time.monotonic(), cur.fetchone()[0]
    return chunks, entries
