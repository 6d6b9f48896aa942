"""Typo expansion from the index vocabulary (pg_trgm candidates, levenshtein to confirm)."""

from __future__ import annotations

from django.db import connection, transaction

# Trigram similarity of a two-letter swap is low ("dokcer" ~ "docker" is 0.27), so the
# candidate threshold is lower than pg_trgm's default 0.3; levenshtein decides.
_CANDIDATES = """
SELECT word FROM search_word
WHERE word %% %s AND levenshtein(word, %s) <= %s
ORDER BY levenshtein(word, %s), similarity(word, %s) DESC, word
LIMIT 3
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


def corrections(word: str) -> list[str]:
    """Close vocabulary words for a word the index does not have, best first."""
    distance = 1 if len(word) <= 4 else 2
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL pg_trgm.similarity_threshold = 0.2")
        cur.execute(_CANDIDATES, [word, word, distance, word, word])
        return [w for (w,) in cur.fetchall()]
