"""Synonym groups for query expansion, shared with the lookup app.

The team's own groups (Synonym) come first; word pairs learnt from parallel tldr pages
(Translation) join them, so queries cross between Japanese and English.

``groups()`` is cached per process. Every change (a group saved or deleted in any process, the
translations relearnt) bumps a counter in PostgreSQL after it commits; each process compares
the counter at most every CHECK_SECONDS, so all web replicas use an edit within a few seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction

CHECK_SECONDS = 2.0  # how stale another process's edit may be here
_TTL = 600.0  # reloaded anyway after this long


@dataclass
class _Cached:
    loaded: float
    checked: float
    generation: int
    groups: list[set[str]]


_cache: _Cached | None = None


def _generation() -> int:
    # From the primary: a replica's copy of the counter may lag behind the edit.
    with connections[DEFAULT_DB_ALIAS].cursor() as cur:
        cur.execute("SELECT last_value + is_called::int FROM search_synonym_generation")
        return cur.fetchone()[0]


def groups() -> list[set[str]]:
    global _cache
    now = time.monotonic()
    cached = _cache
    if cached is not None and now - cached.checked < CHECK_SECONDS:
        return cached.groups
    generation = _generation()
    if cached is not None and cached.generation == generation and now - cached.loaded < _TTL:
        cached.checked = now
        return cached.groups
    from search.models import Synonym, Translation

    found = [set(s.word_list()) for s in Synonym.objects.all()]
    # Learnt translations (lookup.lexicon) work as two-word groups, in both directions.
    found += [{w, t} for w, t in Translation.objects.values_list("word", "translation")]
    _cache = _Cached(now, now, generation, [g for g in found if len(g) > 1])
    return _cache.groups


def _bump() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cur:
        cur.execute("SELECT nextval('search_synonym_generation')")


def clear(**kwargs) -> None:
    """Drop this process's groups now, and tell the others once the change has committed."""
    global _cache
    _cache = None
    transaction.on_commit(_bump)
