"""Ranked note search over SearchDocument (top-k: only a bounded candidate set is ranked).

Ranking every match is what makes full-text search slow on big wikis (ts_rank over 50,000
matching vectors costs hundreds of ms). kb ranks a bounded set: the exact title
match, the newest TITLE_CANDIDATES title/tag hits (from a small title vector) and the newest
CANDIDATES body hits. Counts and tag facets are over that candidate set, so they are exact for
specific queries and shown as "N+" for very common ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from notes.models import REFERENCE_KEY_PREFIX, Note
from search import synonyms, typos
from search.highlight import highlight
from search.tokenize import Query, normalize, parse_query, singular

CANDIDATES = 200
# Imported reference pages (tldr) rank at this fraction of their score: at equal
# relevance, what the team wrote comes first.
REFERENCE_WEIGHT = 0.5
TITLE_CANDIDATES = 50
# ts_rank weights for D (code), C (prose), B (tags, headings), A (title).
WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"

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
SELECT d.note_id FROM cand JOIN search_searchdocument d USING (note_id)
JOIN notes_note n ON n.id = d.note_id
ORDER BY d.title_key = %(key)s DESC,
    (ts_rank(%(weights)s, d.document, %(tsq)s::tsquery, 1) + ts_rank(d.title_vector, %(tsq)s::tsquery))
    * CASE WHEN starts_with(n.import_key, %(reference)s) THEN %(reference_weight)s ELSE 1 END DESC,
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


@dataclass
class Results:
    query: Query
    ids: list[int] = field(default_factory=list)
    capped: bool = False
    suggestion: str = ""
    fixes: dict[str, str] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.ids)

    def hits(self, offset: int = 0, limit: int = 20) -> list[Hit]:
        """One page of results with snippets; three small queries, whatever the page size."""
        page = self.ids[offset : offset + limit]
        by_id = {n.pk: n for n in Note.objects.filter(pk__in=page).only("id", "title", "slug")}
        tags: dict[int, list[tuple[str, str]]] = {}
        with connection.cursor() as cur:
            cur.execute("SELECT note_id, plain FROM search_searchdocument WHERE note_id = ANY(%s)", [page])
            plain = dict(cur.fetchall())
            cur.execute(_PAGE_TAGS, [_note_ct(), page])
            for note_id, name, slug in cur.fetchall():
                tags.setdefault(note_id, []).append((name, slug))
        return [
            Hit(by_id[i], highlight(plain.get(i, ""), self.query), tags.get(i, []))
            for i in page
            if i in by_id
        ]

    def facets(self) -> list[tuple[str, str, int]]:
        if not self.ids:
            return []
        with connection.cursor() as cur:
            cur.execute(_FACETS, [_note_ct(), self.ids])
            return cur.fetchall()


def _note_ct() -> int:
    return ContentType.objects.get_for_model(Note).pk


def _ranked(query: Query, mode: str, tag: str | None) -> list[int]:
    sql = _RANKED.format(tag=_TAG_FILTER if tag else "")
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
    }
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [row[0] for row in cur.fetchall()]


# A word the notes have is still taken for a typo when it is this rare and a close word is
# RARE_RATIO times as common: the seed notes write "dokcer" three times, "docker" in 60 notes.
RARE_WORD = 5
RARE_RATIO = 10


def _fix_typos(query: Query) -> tuple[Query, dict[str, str]]:
    words = [t.surface for t in query.terms if t.typo_candidate]
    if not words:
        return query, {}
    prefixes = {t.surface for t in query.terms if t.prefixes}
    singulars = {w: singular(w) or w for w in words}
    found = typos.known(words + list(singulars.values()), prefixes)
    options: dict[str, list[str]] = {}
    for w in words:
        ndoc = max(found.get(w, 0), found.get(singulars[w], 0))
        if ndoc == 0:
            options[w] = typos.corrections(w)
        elif ndoc <= RARE_WORD:
            options[w] = typos.corrections(w, min_ndoc=ndoc * RARE_RATIO)
    options = {w: c for w, c in options.items() if c}
    return query.with_alternatives(options), {w: c[0] for w, c in options.items()}


def search(q: str, tag: str | None = None) -> Results:
    """Ranked ids of the notes matching ``q`` (optionally only those tagged ``tag``)."""
    query = parse_query(q[:500], synonyms.groups())
    results = Results(query)
    if not query:
        return results
    query, fixes = _fix_typos(query)
    results.query, results.fixes = query, fixes
    if fixes:
        results.suggestion = query.suggestion(fixes).strip()
    ids = _ranked(query, "and", tag)
    if not ids and len(query.terms) > 1:
        # Nothing has every word: show notes with some of them rather than nothing.
        ids = _ranked(query, "or", tag)
    results.ids = ids
    results.capped = len(ids) >= CANDIDATES
    return results


def ranked(notes: QuerySet[Note], q: str, tag: str | None = None) -> QuerySet[Note]:
    """``notes`` narrowed to the matches of ``q`` and ordered best first."""
    ids = search(q, tag=tag).ids
    position = RawSQL("array_position(%s::bigint[], notes_note.id)", (ids,))
    return notes.filter(pk__in=ids).annotate(search_position=position).order_by("search_position")
