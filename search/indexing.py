"""Keep SearchDocument and the Word vocabulary in step with notes.

The index is built from the note's rendered HTML (already sanitized): headings and tags get
weight B, prose C, code D, the title A. ``on_note_saved`` runs after every note save
(editor, admin, import); deletes cascade from Note.
"""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser

from django.db import connection, transaction

from notes.models import Note
from search.tokenize import document_terms, normalize, to_tsvector_literal

_UPSERT = """
INSERT INTO search_searchdocument (note_id, document, title_vector, title_key, plain)
VALUES (%s, %s::tsvector, %s::tsvector, %s, %s)
ON CONFLICT (note_id) DO UPDATE SET document = EXCLUDED.document,
    title_vector = EXCLUDED.title_vector, title_key = EXCLUDED.title_key, plain = EXCLUDED.plain
"""
_ADD_WORDS = "INSERT INTO search_word (word) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING"


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

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._heading += 1
        elif tag in {"pre", "code"}:
            self._code += 1
        if tag in self._BLOCKS:
            self.plain.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._heading = max(0, self._heading - 1)
        elif tag in {"pre", "code"}:
            self._code = max(0, self._code - 1)
        if tag in self._BLOCKS:
            self.plain.append(" ")
            # Words in separate blocks must not form one token or phrase.
            (self.headings if self._heading else self.code if self._code else self.prose).append("\n")

    def handle_data(self, data: str) -> None:
        self.plain.append(data)
        if self._heading:
            self.headings.append(data)
        elif self._code:
            self.code.append(data)
        else:
            self.prose.append(data)


def _words(terms: Iterable[str]) -> list[str]:
    """Plain ASCII words worth offering as typo corrections."""
    return sorted({t for t in terms if t.isascii() and t.isalpha() and 3 <= len(t) <= 40})


def document_row(note: Note, tags: list[str]) -> tuple[list, list[str]]:
    parser = _Sections()
    parser.feed(note.body_html or "")
    parser.close()
    headings = "".join(parser.headings)
    document = to_tsvector_literal(
        {
            "A": note.title,
            "B": [" ".join(tags), headings],
            "C": "".join(parser.prose),
            "D": "".join(parser.code),
        }
    )
    title_vector = to_tsvector_literal({"A": note.title, "B": " ".join(tags)})
    plain = " ".join("".join(parser.plain).split())
    words = _words(document_terms(" ".join([note.title, headings, *parser.prose, *parser.code])))
    return [note.pk, document, title_vector, normalize(note.title).strip()[:200], plain], words


def index_note(note: Note) -> None:
    row, words = document_row(note, list(note.tags.names()))
    with connection.cursor() as cur:
        cur.execute(_UPSERT, row)
        cur.execute(_ADD_WORDS, [words])


def on_note_saved(sender, note: Note, **kwargs) -> None:
    index_note(note)


def reindex_all(batch_size: int = 500) -> int:
    """Rebuild every SearchDocument and the vocabulary; returns the number of notes."""
    count = 0
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM search_word")
        notes = Note.objects.order_by("pk").prefetch_related("tags")
        words: set[str] = set()
        rows = []
        for note in notes.iterator(chunk_size=batch_size):
            row, note_words = document_row(note, [t.name for t in note.tags.all()])
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
        cur.execute(_ADD_WORDS, [sorted(words)])
    return count
