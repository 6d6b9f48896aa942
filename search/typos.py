"""Typo expansion from the index vocabulary (dokcer -> docker, kubernets -> kubernetes)."""

from __future__ import annotations

from django.db import connection, transaction

# Candidates: trigram neighbours (pg_trgm GIN) plus words of similar length sharing the first
# two letters, which catches swapped letters that share few trigrams ("dokcer" ~ "docker" is
# 0.27, under pg_trgm's 0.3). Python then keeps those within an edit distance that counts a
# swap as one edit, which PostgreSQL's levenshtein() does not.
_CANDIDATES = """
SELECT word FROM search_word WHERE word %% %(word)s
UNION
SELECT word FROM search_word
WHERE word >= %(lo)s AND word < %(hi)s AND length(word) BETWEEN %(shortest)s AND %(longest)s
"""


def known(words: list[str], prefixes: set[str]) -> set[str]:
    """The words that are in the vocabulary (prefix words: that start some word)."""
    found: set[str] = set()
    with connection.cursor() as cur:
        cur.execute("SELECT word FROM search_word WHERE word = ANY(%s)", [words])
        found.update(w for (w,) in cur.fetchall())
        for p in prefixes - found:
            cur.execute("SELECT 1 FROM search_word WHERE word LIKE %s LIMIT 1", [p.replace("%", "") + "%"])
            if cur.fetchone():
                found.add(p)
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


def corrections(word: str) -> list[str]:
    """Close vocabulary words for a word the index does not have, best first."""
    limit = 1 if len(word) <= 4 else 2
    params = {
        "word": word,
        "lo": word[:2],
        "hi": word[:2] + "\uffff",
        "shortest": len(word) - limit,
        "longest": len(word) + limit,
    }
    with transaction.atomic(), connection.cursor() as cur:
        # The planner guesses a sequential scan for "%" on a table this small; the GIN index
        # is about ten times faster (2 ms against 19 ms at 25,000 words).
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute(_CANDIDATES, params)
        candidates = [w for (w,) in cur.fetchall()]
    scored = sorted((edit_distance(word, w), abs(len(w) - len(word)), w) for w in candidates)
    best = scored[0][0] if scored else limit + 1
    # Only the closest words: "docker" for "dokcer", not also "doer" and "doke".
    return [w for d, _, w in scored if d <= limit and d == best][:3]
