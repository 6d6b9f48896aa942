"""Keep SearchDocument and the Word vocabulary in step with notes.

The index is built from the note's rendered HTML (already sanitized): headings and tags get
weight B, prose C, code D, the title A. ``on_note_saved`` runs after every note save
(editor, admin, import); deletes cascade from Note.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from html.parser import HTMLParser

from django.db import connection, transaction

from notes.models import Note
from search.tokenize import format_tsvector, normalize, to_tsvector_literal, weighted_positions

_UPSERT = """
INSERT INTO search_searchdocument (note_id, document, title_vector, title_key, plain)
VALUES (%s, %s::tsvector, %s::tsvector, %s, %s)
ON CONFLICT (note_id) DO UPDATE SET document = EXCLUDED.document,
    title_vector = EXCLUDED.title_vector, title_key = EXCLUDED.title_key, plain = EXCLUDED.plain
"""
# The vocabulary counts the notes that have each word (typo fixes prefer common words).
_OLD_LEXEMES = "SELECT tsvector_to_array(document) FROM search_searchdocument WHERE note_id = %s"
_COUNT_DOWN = "UPDATE search_word SET ndoc = ndoc - 1 WHERE word = ANY(%s)"
_DROP_UNUSED = "DELETE FROM search_word WHERE ndoc <= 0 AND word = ANY(%s)"
_SET_WORDS = "INSERT INTO search_word (word, ndoc) SELECT * FROM unnest(%s::text[], %s::int[])"
# index_notes: per-word counts in one statement each.
_OLD_LEXEMES_MANY = (
    "SELECT note_id, tsvector_to_array(document) FROM search_searchdocument WHERE note_id = ANY(%s)"
)
_ADD_COUNTS = """INSERT INTO search_word (word, ndoc) SELECT * FROM unnest(%s::text[], %s::int[])
ON CONFLICT (word) DO UPDATE SET ndoc = search_word.ndoc + EXCLUDED.ndoc"""
_SUBTRACT_COUNTS = """UPDATE search_word w SET ndoc = w.ndoc - d.n
FROM unnest(%s::text[], %s::int[]) AS d(word, n) WHERE w.word = d.word"""


class _Sections(HTMLParser):
    """Split rendered note HTML into heading, prose and code text."""

    _BLOCKS = {"p", "li", "pre", "div", "tr", "br", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self.prose: list[str] = []
        self.code: list[str] = []
        self.plain: list[str] = []
        self._heading = 0
        self._code = 0
        self._skip: list[str] = []  # open tags inside a skipped element (the outer one first)

    def handle_starttag(self, tag: str, attrs) -> None:
        if self._skip:
            self._skip.append(tag)
            return
        # The toc's headerlink '#' and a [TOC] list are navigation, not the note's words.
        classes = (dict(attrs).get("class") or "").split()
        if (tag == "a" and "headerlink" in classes) or (tag == "div" and "toc" in classes):
            self._skip.append(tag)
            return
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._heading += 1
        elif tag in {"pre", "code"}:
            self._code += 1
        if tag in self._BLOCKS:
            self.plain.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag in self._skip:  # tolerate unclosed tags (<br>, <img>) inside the skipped part
                del self._skip[len(self._skip) - 1 - self._skip[::-1].index(tag) :]
            return
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._heading = max(0, self._heading - 1)
        elif tag in {"pre", "code"}:
            if self._code and not self._heading:
                # Each code span is words of its own: `wait_for_db` and `depends_on` in one
                # sentence were indexed as the one token wait_for_dbdepends_on.
                self.code.append("\n")
            self._code = max(0, self._code - 1)
        if tag in self._BLOCKS:
            self.plain.append(" ")
            # Words in separate blocks must not form one token or phrase.
            (self.headings if self._heading else self.code if self._code else self.prose).append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.plain.append(data)
        if self._heading:
            self.headings.append(data)
        elif self._code:
            self.code.append(data)
        else:
            self.prose.append(data)


def _words(terms: Iterable[str]) -> set[str]:
    """Plain ASCII words worth offering as typo corrections."""
    return {t for t in terms if t.isascii() and t.isalpha() and 3 <= len(t) <= 40}


def document_row(note: Note, tags: list[str]) -> tuple[list, set[str]]:
    # Tags in one order however they were fetched: their positions are part of the row.
    tags = sorted(tags)
    parser = _Sections()
    parser.feed(note.body_html or "")
    parser.close()
    headings = "".join(parser.headings)
    positions = weighted_positions(
        {
            "A": note.title,
            "B": [" ".join(tags), headings],
            "C": "".join(parser.prose),
            "D": "".join(parser.code),
        }
    )
    title_vector = to_tsvector_literal({"A": note.title, "B": " ".join(tags)})
    plain = " ".join("".join(parser.plain).split())
    row = [note.pk, format_tsvector(positions), title_vector, normalize(note.title).strip()[:200], plain]
    return row, _words(positions)


def _old_words(cur, note_id: int) -> set[str]:
    cur.execute(_OLD_LEXEMES, [note_id])
    found = cur.fetchone()
    return _words(found[0]) if found else set()


def _count_down(cur, words: set[str]) -> None:
    if words:
        cur.execute(_COUNT_DOWN, [sorted(words)])
        cur.execute(_DROP_UNUSED, [sorted(words)])


def index_note(note: Note) -> None:
    index_notes([note])


def index_notes(notes: list[Note], batch_size: int = 500) -> None:
    """index_note for many notes at once (imports): a few statements per batch, not per note."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import TaggedItem

    note_type = ContentType.objects.get_for_model(Note)
    for start in range(0, len(notes), batch_size):
        batch = notes[start : start + batch_size]
        ids = [n.pk for n in batch]
        tags: dict[int, list[str]] = {}
        rows = TaggedItem.objects.filter(content_type=note_type, object_id__in=ids).values_list(
            "object_id", "tag__name"
        )
        for note_id, name in rows:
            tags.setdefault(note_id, []).append(name)
        up: Counter[str] = Counter()
        down: Counter[str] = Counter()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(_OLD_LEXEMES_MANY, [ids])
            old = {note_id: _words(lexemes) for note_id, lexemes in cur.fetchall()}
            upserts = []
            for note in batch:
                row, words = document_row(note, tags.get(note.pk, []))
                upserts.append(row)
                before = old.get(note.pk, set())
                up.update(words - before)
                down.update(before - words)
            cur.executemany(_UPSERT, upserts)
            # Words in sorted order, as every writer of search_word takes its row locks: two
            # saves sharing words cannot deadlock.
            if up:
                words = sorted(up)
                cur.execute(_ADD_COUNTS, [words, [up[w] for w in words]])
            if down:
                words = sorted(down)
                cur.execute(_SUBTRACT_COUNTS, [words, [down[w] for w in words]])
                cur.execute(_DROP_UNUSED, [words])


def on_note_deleted(sender, instance: Note, **kwargs) -> None:
    # Before the cascade removes the SearchDocument, so its words can be counted down.
    with connection.cursor() as cur:
        _count_down(cur, _old_words(cur, instance.pk))


def on_note_saved(sender, note: Note, **kwargs) -> None:
    index_note(note)


def reindex_all(batch_size: int = 500, notes=None, tags: dict[int, list[str]] | None = None) -> int:
    """Rebuild every SearchDocument and the vocabulary; returns the number of notes.

    ``notes`` and ``tags`` (note id -> names): a migration's historical notes, which have
    no working tag manager.
    """
    count = 0
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM search_word")
        if notes is None:
            notes = Note.objects.order_by("pk").prefetch_related("tags")
        words: Counter[str] = Counter()
        rows = []
        for note in notes.iterator(chunk_size=batch_size):
            names = tags.get(note.pk, []) if tags is not None else [t.name for t in note.tags.all()]
            row, note_words = document_row(note, names)
            rows.append(row)
            words.update(note_words)
            if len(rows) >= batch_size:
                cur.executemany(_UPSERT, rows)
                count += len(rows)
                rows = []
        if rows:
            cur.executemany(_UPSERT, rows)
            count += len(rows)
        cur.execute("DELETE FROM search_searchdocument WHERE note_id NOT IN (SELECT id FROM notes_note)")
        cur.execute(_SET_WORDS, [list(words), list(words.values())])
    return count
