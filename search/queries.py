"""Ranked note search over SearchDocument (top-k: only a bounded candidate set is ranked).

Ranking every match is what makes full-text search slow on big wikis (ts_rank over 50,000
matching vectors costs hundreds of ms). kb ranks a bounded set: the exact title
match, the newest TITLE_CANDIDATES title/tag hits (from a small title vector) and the newest
CANDIDATES body hits. Counts and tag facets are over that candidate set, so they are exact for
specific queries and shown as "N+" for very common ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from kb.replica import read_connection
from notes.models import REFERENCE_KEY_PREFIX, Note, hidden_reference_prefixes, twin_key
from search import fusion, parse, synonyms, typos
from search.fusion import Evidence, fuse
from search.highlight import highlight
from search.parse import Query, parse_query
from search.tokenize import normalize
from vectors.backends import CHUNK_TABLE, ENTRY_TABLE, backend
from vectors.search import embedded_notes, nearest_chunks, nearest_entries, prefetch
from vectors.words import translated

CANDIDATES = 200
# Nearest note sections and lookup entries asked of the vector index.
NEIGHBOURS = 40
OWN_NEIGHBOURS = 20  # and as many again from the team's own notes (vectors.search.nearest_chunks)
# meaning()'s questions, which search asks ahead (vectors.search.prefetch).
ASKED_AHEAD = ((CHUNK_TABLE, NEIGHBOURS, OWN_NEIGHBOURS, False), (ENTRY_TABLE, NEIGHBOURS, 0, False))
# An entry (one example of a page) stands for its note at a little less than its similarity:
# a passage about the whole note says more than one command does.
ENTRY_DISCOUNT = 0.1
# Imported reference pages (tldr) rank at this fraction of their score: at equal
# relevance, what the team wrote comes first.
REFERENCE_WEIGHT = 0.5
TITLE_CANDIDATES = 50
# When fewer notes than this have every word, notes with some of the words follow them,
# most words first.
PARTIAL_BELOW = 10
# ts_rank weights for D (code), C (prose), B (tags, headings), A (title).
WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"

# Reference pages the site hides (KB_HIDE_REFERENCE), left out before the candidate caps.
_HIDE_FILTER = """ AND note_id NOT IN (SELECT id FROM notes_note WHERE import_key LIKE ANY(%(hidden)s))"""
_TAG_FILTER = """ AND note_id IN (SELECT ti.object_id FROM taggit_taggeditem ti
    JOIN taggit_tag t ON t.id = ti.tag_id WHERE t.slug = %(tag)s AND ti.content_type_id = %(ct)s)"""

# The newest CANDIDATES matches (ORDER BY note_id DESC LIMIT) are ranked, plus title hits and
# the exact title. For a common word PostgreSQL walks the primary key backwards and stops
# after a few hundred rows; for a rare one it uses the GIN index. Either way it never builds
# and ranks the full match set.
_RANKED = """
WITH cand AS (
    (SELECT note_id FROM search_searchdocument WHERE title_key = %(key)s {tag} LIMIT 5)
    UNION
    (SELECT note_id FROM search_searchdocument WHERE title_vector @@ %(tsq)s::tsquery {tag}
     ORDER BY note_id DESC LIMIT %(tcap)s)
    UNION
    (SELECT note_id FROM search_searchdocument WHERE document @@ %(tsq)s::tsquery {tag}
     ORDER BY note_id DESC LIMIT %(cap)s)
)
-- A note with the query's katakana words as words ranks above one that has them only
-- inside longer words (ポート inside インポート).
SELECT d.note_id FROM cand JOIN search_searchdocument d USING (note_id)
JOIN notes_note n ON n.id = d.note_id
ORDER BY d.title_key = %(key)s DESC,
    (%(whole)s::tsquery IS NULL OR d.document @@ %(whole)s::tsquery) DESC,
    (ts_rank(%(weights)s, d.document, %(tsq)s::tsquery, 1) + ts_rank(d.title_vector, %(tsq)s::tsquery))
    * CASE WHEN starts_with(n.import_key, %(reference)s) THEN %(reference_weight)s ELSE 1 END DESC,
    -- At equal score, reference pages in the viewer's language first.
    starts_with(coalesce(n.import_key, ''), %(own)s) DESC,
    d.note_id DESC
"""

_FACETS = """
SELECT t.name, t.slug, count(*) FROM taggit_taggeditem ti JOIN taggit_tag t ON t.id = ti.tag_id
WHERE ti.content_type_id = %s AND ti.object_id = ANY(%s)
GROUP BY t.name, t.slug ORDER BY count(*) DESC, t.name LIMIT 30
"""


@dataclass
class Hit:
    note: Note
    snippet: str
    tags: list[tuple[str, str]]  # (name, slug)


_PAGE_TAGS = """
SELECT ti.object_id, t.name, t.slug FROM taggit_taggeditem ti JOIN taggit_tag t ON t.id = ti.tag_id
WHERE ti.content_type_id = %s AND ti.object_id = ANY(%s) ORDER BY t.name
"""


_MARKS_RE = re.compile(r"`+([^`\n]*)`+|^\s{0,3}(?:#{1,6}|[-*+]|\d+[.)])\s+", re.M)


@dataclass
class Results:
    query: Query
    ids: list[int] = field(default_factory=list)
    capped: bool = False
    suggestion: str = ""
    fixes: dict[str, str] = field(default_factory=dict)
    # Passages of notes found by meaning alone: their snippet is the passage that matched.
    passages: dict[int, str] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.ids)

    def hits(self, offset: int = 0, limit: int = 20) -> list[Hit]:
        """One page of results with snippets; three small queries, whatever the page size."""
        page = self.ids[offset : offset + limit]
        by_id = {n.pk: n for n in Note.objects.filter(pk__in=page).only("id", "title", "slug", "import_key")}
        tags: dict[int, list[tuple[str, str]]] = {}
        with read_connection().cursor() as cur:
            cur.execute("SELECT note_id, plain FROM search_searchdocument WHERE note_id = ANY(%s)", [page])
            plain = dict(cur.fetchall())
            cur.execute(_PAGE_TAGS, [_note_ct(), page])
            for note_id, name, slug in cur.fetchall():
                tags.setdefault(note_id, []).append((name, slug))
        return [
            Hit(
                by_id[i], highlight(self._snippet_text(i, by_id[i].title, plain), self.query), tags.get(i, [])
            )
            for i in page
            if i in by_id
        ]

    def _snippet_text(self, note_id: int, title: str, plain: dict[int, str]) -> str:
        passage = self.passages.get(note_id)
        if passage is None:
            return plain.get(note_id, "")
        # The passage is what was embedded: words, with inline code's backticks, headings'
        # and list items' marks, which a reader of the snippet has no use for.
        return _MARKS_RE.sub(r"\1", passage.removeprefix(title).lstrip("\n"))

    def facets(self) -> list[tuple[str, str, int]]:
        if not self.ids:
            return []
        with read_connection().cursor() as cur:
            cur.execute(_FACETS, [_note_ct(), self.ids])
            return cur.fetchall()


def _note_ct() -> int:
    return ContentType.objects.get_for_model(Note).pk


def whole_words(query: Query) -> str | None:
    """A tsquery requiring the query's katakana words as whole words, or None if it has none.

    The bigrams of ポート also match インポート; the word itself is indexed as '=ポト'.
    """
    parts = [parse.whole_words(t.tsquery()) for t in query.terms if "'=" in t.tsquery()]
    return " & ".join(parts) or None


def _hidden_patterns() -> list[str]:
    return [p.replace("_", r"\_") + "%" for p in hidden_reference_prefixes()]


def _filters(tag: str | None) -> str:
    return (_TAG_FILTER if tag else "") + (_HIDE_FILTER if hidden_reference_prefixes() else "")


def _ranked(query: Query, mode: str, tag: str | None, language: str | None = None) -> list[int]:
    sql = _RANKED.format(tag=_filters(tag))
    params = {
        "tsq": query.tsquery(mode),
        "key": normalize(query.raw).strip(),
        "tcap": TITLE_CANDIDATES,
        "cap": CANDIDATES,
        "weights": WEIGHTS,
        "reference": REFERENCE_KEY_PREFIX,
        "reference_weight": REFERENCE_WEIGHT,
        "tag": tag,
        "ct": _note_ct() if tag else None,
        "hidden": _hidden_patterns(),
        "whole": whole_words(query),
        # No viewer: a prefix no key has, so the tie-break changes nothing.
        "own": f"{REFERENCE_KEY_PREFIX}{language.split('-')[0].lower()}/" if language else "\x01",
    }
    with read_connection().cursor() as cur:
        cur.execute(sql, params)
        return [row[0] for row in cur.fetchall()]


def _fix_typos(query: Query) -> tuple[Query, dict[str, str]]:
    options = typos.typo_options(query)
    return query.with_alternatives(options), {w: c[0] for w, c in options.items()}


_FLAGS = """
SELECT n.id, starts_with(coalesce(n.import_key, ''), %(reference)s), n.import_key, n.title,
       char_length(regexp_replace(n.title || left(n.body, %(short)s * 8), '[[:space:]]', '', 'g')) < %(short)s
       OR (starts_with(coalesce(n.import_key, ''), %(reference)s) AND n.body ~ %(alias)s)
FROM notes_note n WHERE n.id = ANY(%(ids)s) {tag}
"""
# A tldr alias page ("This command is an alias of `npm run start`", then `tldr npm run`) says
# nothing of its own: a dozen such stubs, one sentence each, sat nearer to "run a setup script
# only on the first start" than any note. Like a short note, it is found by its words only.
_ALIAS_PAGE = r"(^|\n)`tldr [^`{}\n]+`[[:space:]]*($|\n)"
# Fewer characters than this in a note's title and body together (spaces aside) are too
# little for its vector to say anything: "x" / "x", "win" with no body, "text" / "text"
# sit near every query. 「ポート確認」 with `ss -ltnp` (12) still has its say.
SHORT_NOTE = 12


def _language(import_key: str | None, text: str) -> str:
    """ "ja" or "en": a tldr page says so in its key; a note by its script."""
    if import_key and import_key.startswith(REFERENCE_KEY_PREFIX):
        return "ja" if import_key.removeprefix(REFERENCE_KEY_PREFIX).startswith("ja/") else "en"
    return "ja" if fusion.is_cjk(text) else "en"


class Meaning(NamedTuple):
    similarity: dict[int, float]  # note id -> best cosine of its passages and entries
    passages: dict[int, str]  # note id -> the passage that matched
    reference: set[int]  # reference pages among them
    language: dict[int, str]
    short: set[int]  # notes with almost no text (SHORT_NOTE)


def meaning(q: str, tag: str | None = None) -> Meaning:
    """Notes near ``q`` in meaning, best passage per note, with what fusion needs to know of them."""
    sims: dict[int, float] = {}
    passages: dict[int, str] = {}
    for chunk in nearest_chunks(q, NEIGHBOURS, also_own=OWN_NEIGHBOURS):
        if chunk.similarity > sims.get(chunk.note_id, -1.0):
            sims[chunk.note_id] = chunk.similarity
            passages[chunk.note_id] = chunk.text
    models = backend()
    entry_model = models.part(ENTRY_TABLE) if models else None
    chunk_model = models.part(CHUNK_TABLE) if models else None
    for entry in nearest_entries(q, NEIGHBOURS):
        # Entries may come from another model than passages (vectors.backends.Blend).
        similarity = (
            entry_model.on_scale_of(chunk_model, entry.similarity) if entry_model else entry.similarity
        )
        if entry.note_id is not None and similarity - ENTRY_DISCOUNT > sims.get(entry.note_id, -1.0):
            sims[entry.note_id] = similarity - ENTRY_DISCOUNT
            passages.pop(entry.note_id, None)
    if not sims:
        return Meaning({}, {}, set(), {}, set())
    sql = _FLAGS.format(tag=_filters(tag).replace("note_id", "n.id"))
    with read_connection().cursor() as cur:
        cur.execute(
            sql,
            {
                "ids": list(sims),
                "reference": REFERENCE_KEY_PREFIX,
                "tag": tag,
                "ct": _note_ct() if tag else None,
                "hidden": _hidden_patterns(),
                "short": SHORT_NOTE,
                "alias": _ALIAS_PAGE,
            },
        )
        rows = cur.fetchall()
    flags = {r[0]: r[1] for r in rows}
    language = {r[0]: _language(r[2], passages.get(r[0], r[3])) for r in rows}
    kept = {i: s for i, s in sims.items() if i in flags}
    return Meaning(
        kept,
        {i: p for i, p in passages.items() if i in kept},
        {i for i, ref in flags.items() if ref},
        language,
        {r[0] for r in rows if r[4]},
    )


def search(q: str, tag: str | None = None, semantic: bool = True, language: str | None = None) -> Results:
    """Ranked ids of the notes matching ``q`` (optionally only those tagged ``tag``).

    Words and meaning both vote (search.fusion); ``semantic=False`` ranks by words alone.
    ``language`` is the viewer's: a reference page found in two languages is shown once,
    in that one (see in_language).
    """
    query = parse_query(q[:500], synonyms.groups())
    results = Results(query)
    if not query:
        return results
    if semantic:
        # The model, and then the nearest passages and entries (meaning, below), are worked
        # out in the background while the words are ranked.
        prefetch(q[:500], nearest=ASKED_AHEAD)
    query, fixes = _fix_typos(query)
    results.query, results.fixes = query, fixes
    if fixes:
        results.suggestion = query.suggestion(fixes).strip()
    ids, mode = _ranked(query, "and", tag, language), "and"
    coverage: dict[int, float] = {}
    capped = len(ids) >= CANDIDATES  # of the notes with every word
    if semantic and len(ids) < PARTIAL_BELOW:
        # Few notes have every word as typed: the notes that have each word in one language
        # or the other (vectors.words) come next, then those with only some of them.
        wide = translated(q[:500], query)
        if wide is not query:
            seen = set(ids)
            more = [i for i in _ranked(wide, "and", tag, language) if i not in seen]
            if more and not ids:
                mode = "translated"  # every word, but some only in the other language
            ids += more
            query = results.query = wide
    if len(ids) < PARTIAL_BELOW and len(query.terms) > 1:
        # Few or no notes have every word: notes with most of them follow, as lookup's
        # staged candidates do, rather than one result or none.
        mode = mode if ids else "or"
        ids, coverage = _with_partial(query, tag, ids, language)
        if mode == "or":
            capped = len(ids) >= CANDIDATES
    if semantic:
        sims, passages, reference, languages, short = meaning(q[:500], tag)
        key = normalize(query.raw).strip()
        exact = ids[0] if ids and _title_key(ids[0]) == key else None
        model = backend()
        model = model.part(CHUNK_TABLE) if model else None
        evidence = Evidence(
            ids,
            mode if ids else "",
            sims,
            reference,
            exact,
            capped,
            q,
            coverage,
            languages,
            unembedded=set(ids[: fusion.COVERAGE_OF]) - embedded_notes(ids[: fusion.COVERAGE_OF])
            if sims
            else set(),
            spread=model.spread if model else 0.08,
            floor=model.floor if model else 0.78,
            short=short,
        )
        fused = fuse(evidence)
        results.passages = {i: p for i, p in passages.items() if i not in set(ids)}
        ids = fused
    if language:
        ids = in_language(ids, language)
    results.ids = ids
    results.capped = capped
    return results


def in_language(ids: list[int], language: str) -> list[int]:
    """Fold each reference page found in two languages into the viewer's one.

    tldr has most pages in English and many also in Japanese, with the same content. When
    both versions of a page were found, the viewer's takes the better of the two places and
    the other is left out; a page found only in another language stays where it was.
    """
    language = language.split("-")[0].lower()
    with read_connection().cursor() as cur:
        cur.execute(
            "SELECT id, import_key FROM notes_note WHERE id = ANY(%s) AND starts_with(import_key, %s)",
            [ids, REFERENCE_KEY_PREFIX],
        )
        keys = dict(cur.fetchall())
    if not keys:
        return ids
    by_key = {key: pk for pk, key in keys.items()}
    own_prefix = f"{REFERENCE_KEY_PREFIX}{language}/"
    out: list[int] = []
    placed: set[int] = set()
    for pk in ids:
        if pk in placed:
            continue
        key = keys.get(pk)
        if key is not None and not key.startswith(own_prefix) and "/" in key:
            twin = by_key.get(twin_key(key, language))
            if twin is not None:
                pk = twin  # the viewer's version, at this (the better) place
        if pk not in placed:
            out.append(pk)
            placed.add(pk)
    # Another-language page whose twin was already placed is dropped (never re-added).
    return out


def _with_partial(
    query: Query, tag: str | None, full: list[int], language: str | None = None
) -> tuple[list[int], dict[int, float]]:
    """``full`` (every word) then the notes with only some words, most words first.

    Returns the ids and each one's share of the query's terms (1.0 for ``full``).
    """
    some = [i for i in _ranked(query, "or", tag, language) if i not in set(full)]
    share = _coverage(query, some[: fusion.COVERAGE_OF])
    some = sorted(some, key=lambda i: -share.get(i, 0.0))  # stable: ties keep the word ranking
    return full + some, {**share, **dict.fromkeys(full, 1.0)}


def _coverage(query: Query, ids: list[int]) -> dict[int, float]:
    """Share of the query's terms each note has (for notes found by only some of them)."""
    if not ids:
        return {}
    terms = [t.tsquery() for t in query.terms]
    parts = " + ".join("(document @@ %s::tsquery)::int" for _ in terms)
    with read_connection().cursor() as cur:
        cur.execute(
            f"SELECT note_id, ({parts})::float / %s FROM search_searchdocument WHERE note_id = ANY(%s)",
            [*terms, len(terms), ids],
        )
        return dict(cur.fetchall())


def _title_key(note_id: int) -> str:
    with read_connection().cursor() as cur:
        cur.execute("SELECT title_key FROM search_searchdocument WHERE note_id = %s", [note_id])
        row = cur.fetchone()
    return row[0] if row else ""


def ranked(notes: QuerySet[Note], q: str, tag: str | None = None) -> QuerySet[Note]:
    """``notes`` narrowed to the matches of ``q`` and ordered best first."""
    ids = search(q, tag=tag).ids
    position = RawSQL("array_position(%s::bigint[], notes_note.id)", (ids,))
    return notes.filter(pk__in=ids).annotate(search_position=position).order_by("search_position")
