"""Nearest neighbours by meaning: the one entry point that search and lookup use.

``nearest_chunks`` and ``nearest_entries`` embed the query (once: typing produces the same
prefixes again and again, so recent queries are cached) and ask the HNSW index for the
closest rows of the current model. Without vectors, with vectors switched off, or with the
embedding endpoint down, they return nothing and the caller ranks by words alone.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from django.db import transaction

from kb.replica import read_alias, read_connection
from vectors.backends import Backend, EmbeddingError, backend
from vectors.index import OWN_CONDITION

log = logging.getLogger(__name__)

_OWN = f"AND {OWN_CONDITION}"  # the partial indexes' condition (vectors.index.OWN)
CACHE_SIZE = 512  # query vectors (a blend caches two per query: one per table)
READY_TTL = 30.0  # seconds a "vectors exist" answer is trusted
EF_SEARCH = 100

_cache: OrderedDict[tuple[str, str], list[float]] = OrderedDict()
_cache_lock = Lock()
_ready: dict[str, tuple[float, int]] = {}


@dataclass(frozen=True)
class Neighbour:
    id: int  # chunk id or entry id
    note_id: int | None
    similarity: float  # cosine similarity, 1 = same direction
    text: str = ""


def query_vector(model: Backend, q: str) -> list[float]:
    key = (model.name, q)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    vector = model.queries([q])[0]
    with _cache_lock:
        _cache[key] = vector
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return vector


def query_vectors(model: Backend, texts: list[str]) -> list[list[float]]:
    """query_vector for several texts, with one model call for those not cached."""
    with _cache_lock:
        found = {t: _cache[(model.name, t)] for t in texts if (model.name, t) in _cache}
    missing = [t for t in dict.fromkeys(texts) if t not in found]
    if missing:
        for text, vector in zip(missing, model.queries(missing), strict=True):
            found[text] = vector
            with _cache_lock:
                _cache[(model.name, text)] = vector
                while len(_cache) > CACHE_SIZE:
                    _cache.popitem(last=False)
    return [found[t] for t in texts]


def _dims_ready(table: str, model: Backend) -> int:
    """The dimension of ``table``'s current vectors, or 0 when it has none (cached briefly)."""
    key = f"{table}:{model.name}"
    now = time.monotonic()
    cached = _ready.get(key)
    if cached and now - cached[0] < READY_TTL:
        return cached[1]
    with read_connection().cursor() as cur:
        cur.execute(
            f"SELECT dims FROM {table} WHERE model = %s AND embedding IS NOT NULL LIMIT 1", [model.name]
        )
        row = cur.fetchone()
    dims = row[0] if row else 0
    _ready[key] = (now, dims)
    return dims


def forget_readiness() -> None:
    _ready.clear()


_NEAREST = """
SELECT {cols}, 1 - (embedding::vector({dims}) <=> %(q)s::vector({dims})) AS similarity
FROM {table} WHERE dims = {dims} AND model = %(model)s {extra}
ORDER BY embedding::vector({dims}) <=> %(q)s::vector({dims}) LIMIT %(k)s
"""


def _nearest(
    table: str, cols: str, q: str, k: int, extra: str = "", params: dict | None = None
) -> list[tuple]:
    chosen = backend()
    if chosen is None or not q.strip():
        return []
    model = chosen.part(table)
    dims = _dims_ready(table, model)
    if not dims:
        return []
    try:
        vector = query_vector(model, q)
    except EmbeddingError as exc:
        log.warning("query not embedded, answering from words alone: %s", exc)
        return []
    if len(vector) != dims:
        return []
    literal = "[" + ",".join(f"{x:.6g}" for x in vector) + "]"
    sql = _NEAREST.format(cols=cols, table=table, dims=int(dims), extra=extra)
    with transaction.atomic(using=read_alias()), read_connection().cursor() as cur:
        cur.execute(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH, k)}")
        # The model filter is applied after the index scan; keep scanning until k rows pass it.
        cur.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        cur.execute(sql, {"q": literal, "model": model.name, "k": k, **(params or {})})
        return cur.fetchall()


def nearest_chunks(q: str, k: int = 50, own: bool = False) -> list[Neighbour]:
    """Note sections closest in meaning to ``q``, best first (one note may appear twice).

    ``own`` keeps to the team's notes: thousands of reference pages in the query's own
    language can fill every one of the ``k`` places before a team note in the other
    language is reached, so search asks for both lists.
    """
    rows = _nearest("vectors_notechunk", "id, note_id, text", q, k, extra=_OWN if own else "")
    return [Neighbour(id=r[0], note_id=r[1], text=r[2], similarity=float(r[3])) for r in rows]


def nearest_entries(q: str, k: int = 50, own: bool = False) -> list[Neighbour]:
    """Lookup entries closest in meaning to ``q``, best first; ``own``: the team's entries only."""
    rows = _nearest("vectors_entryvector", "entry_id, note_id", q, k, extra=_OWN if own else "")
    return [Neighbour(id=r[0], note_id=r[1], similarity=float(r[2])) for r in rows]
