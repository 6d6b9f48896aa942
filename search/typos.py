"""Typo expansion from the index vocabulary (dokcer -> docker, kubernets -> kubernetes)."""

from __future__ import annotations

from django.db import transaction

from kb.replica import read_alias, read_connection
from search.parse import Query
from search.tokenize import singular

# Candidates: trigram neighbours (pg_trgm GIN) plus words of similar length sharing the first
# two letters, which catches swapped letters that share few trigrams ("dokcer" ~ "docker" is
# 0.27, under pg_trgm's 0.3). Python then keeps those within an edit distance that counts a
# swap as one edit, which PostgreSQL's levenshtein() does not.
_CANDIDATES = """
SELECT word, ndoc FROM search_word WHERE word %% %(word)s AND ndoc >= %(min_ndoc)s
UNION
SELECT word, ndoc FROM search_word WHERE ndoc >= %(min_ndoc)s
    AND word >= %(lo)s AND word < %(hi)s AND length(word) BETWEEN %(shortest)s AND %(longest)s
"""


def known(words: list[str], prefixes: set[str]) -> dict[str, int]:
    """Vocabulary words among ``words`` with their note counts (prefixes: any word they start)."""
    found: dict[str, int] = {}
    with read_connection().cursor() as cur:
        cur.execute("SELECT word, ndoc FROM search_word WHERE word = ANY(%s)", [words])
        found.update(cur.fetchall())
        for p in prefixes - set(found):
            cur.execute("SELECT sum(ndoc) FROM search_word WHERE word LIKE %s", [p.replace("%", "") + "%"])
            total = cur.fetchone()[0]
            if total:
                found[p] = total
    return found


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insert, delete, substitute, swap neighbours."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def corrections(word: str, min_ndoc: int = 1) -> list[str]:
    """Close vocabulary words (in at least ``min_ndoc`` notes) for ``word``, best first."""
    limit = 1 if len(word) <= 4 else 2
    params = {
        "word": word,
        "lo": word[:2],
        "hi": word[:2] + "\uffff",
        "shortest": len(word) - limit,
        "longest": len(word) + limit,
        "min_ndoc": min_ndoc,
    }
    with transaction.atomic(using=read_alias()), read_connection().cursor() as cur:
        # The planner guesses a sequential scan for "%" on a table this small; the GIN index
        # is about ten times faster (2 ms against 19 ms at 25,000 words).
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute(_CANDIDATES, params)
        candidates = [(w, n) for w, n in cur.fetchall() if w != word]
    scored = sorted((edit_distance(word, w), abs(len(w) - len(word)), -n, w) for w, n in candidates)
    best = scored[0][0] if scored else limit + 1
    # Only the closest words: "docker" for "dokcer", not also "doer" and "doke".
    closest = [(w, -n) for d, _, n, w in scored if d <= limit and d == best]
    return list(dict.fromkeys(_surface_forms(closest)))[:3]


def _plurals(word: str) -> list[str]:
    """The words that tokenize.singular() folds to ``word``."""
    return [p for p in (word + "s", word[:-1] + "ies") if singular(p) == word]


def _surface_forms(words: list[tuple[str, int]]) -> list[str]:
    """Replace fold-only words (kubernete, from kubernetes) by the plural the notes write.

    The vocabulary holds the singular fold of every plural too. A word is taken as written
    in the notes that have it but none of its plurals; when its plurals are more common
    than that, the most common plural is what people write.
    """
    plural_of = {p: w for w, _ in words for p in _plurals(w)}
    if not plural_of:
        return [w for w, _ in words]
    with read_connection().cursor() as cur:
        cur.execute("SELECT word, ndoc FROM search_word WHERE word = ANY(%s)", [sorted(plural_of)])
        plurals = cur.fetchall()
    out = []
    for w, ndoc in words:
        mine = sorted(((n, p) for p, n in plurals if plural_of[p] == w), reverse=True)
        written = ndoc - sum(n for n, _ in mine)
        out.append(mine[0][1] if mine and mine[0][0] > written else w)
    return out


# A word in this few notes, beside a close word in RARE_RATIO times as many, is taken for a
# typo of it too: a team's notes keep their typos ("dokcer cp" in two notes, docker in 150).
RARE_WORD = 5
RARE_RATIO = 10


def typo_options(query: Query) -> dict[str, list[str]]:
    """Corrections for the query's words that no note has, or only a few notes beside a far
    more common close word (dokcer -> docker), best first."""
    unknown, rare = _typos(query)
    return {**unknown, **rare}


_ENDINGS = ("s", "es", "d", "ed", "ing", "er", "ers")


def _inflected(word: str, other: str) -> bool:
    """One word is the other plus an English ending: killed and kill are no typo."""
    short, long = sorted((word, other), key=len)
    return long.startswith(short) and long[len(short) :] in _ENDINGS


def word_fixes(query: Query) -> tuple[dict[str, str], dict[str, str]]:
    """The best correction of each word no note has, and of each word typo_options() takes
    for a typo although a few notes have it too (a typo they keep, or a rare real word; not
    an inflection of the correction: "killed" in 3 notes beside "kill" in 40)."""
    unknown, rare = _typos(query)
    return (
        {w: c[0] for w, c in unknown.items()},
        {w: c[0] for w, c in rare.items() if not _inflected(w, c[0])},
    )


def _typos(query: Query) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    words = [t.surface for t in query.terms if t.typo_candidate]
    if not words:
        return {}, {}
    prefixes = {t.surface for t in query.terms if t.prefixes}
    singulars = {w: singular(w) or w for w in words}
    found = known(words + list(singulars.values()), prefixes)
    unknown: dict[str, list[str]] = {}
    rare: dict[str, list[str]] = {}
    for w in words:
        ndoc = max(found.get(w, 0), found.get(singulars[w], 0))
        if ndoc == 0:
            unknown[w] = corrections(w)
        elif ndoc <= RARE_WORD:
            rare[w] = corrections(w, min_ndoc=ndoc * RARE_RATIO)
    return {w: c for w, c in unknown.items() if c}, {w: c for w, c in rare.items() if c}
