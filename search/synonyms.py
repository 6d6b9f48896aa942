"""Synonym groups for query expansion, shared with the lookup app.

The team's own groups (Synonym) come first; word pairs learnt from parallel tldr pages
(Translation) join them, so queries cross between Japanese and English.

``groups()`` is cached per process for a minute and dropped at once when a group is saved
here; other processes see an edit within the minute.
"""

from __future__ import annotations

import time

_TTL = 60.0
_cache: tuple[float, list[set[str]]] | None = None


def groups() -> list[set[str]]:
    global _cache
    if _cache is None or time.monotonic() - _cache[0] > _TTL:
        from search.models import Synonym, Translation

        found = [set(s.word_list()) for s in Synonym.objects.all()]
        # Learnt translations (lookup.lexicon) work as two-word groups, in both directions.
        found += [{w, t} for w, t in Translation.objects.values_list("word", "translation")]
        _cache = (time.monotonic(), [g for g in found if len(g) > 1])
    return _cache[1]


def clear(**kwargs) -> None:
    global _cache
    _cache = None
