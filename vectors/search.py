"""Nearest neighbours by meaning: the one entry point that search and lookup use.

``nearest_chunks`` and ``nearest_entries`` embed the query (once: typing produces the same
prefixes again and again, so recent queries are cached) and ask the HNSW index for the
closest rows of the current model. Without vectors, with vectors switched off, or with the
embedding endpoint down, they return nothing and the caller ranks by words alone.

``prefetch`` starts embedding a query in a background thread, so that a new query's model
time (about 20 ms for e5 on one core) passes while PostgreSQL ranks its words. Given the
nearest-neighbour questions the caller will ask, that thread asks them too, on its own
connection, so that the HNSW scans (about 10 ms) also overlap the word ranking.

A query vector is computed once for all processes and servers: each process keeps the
recent ones in memory, and all of them share the ``vectors_queryvector`` table, because the
next keystroke of the same person often reaches another gunicorn worker or replica.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import os
import time
import uuid
from array import array
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from threading import Lock

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

from kb.replica import read_alias, read_connection
from vectors.backends import CHUNK_TABLE, ENTRY_TABLE, Backend, EmbeddingError, backend
from vectors.index import OWN_CONDITION

log = logging.getLogger(__name__)

_OWN = f"AND {OWN_CONDITION}"  # the partial indexes' condition (vectors.index.OWN)
# Query vectors, kept as float32 arrays (3.5 kB for 896 dimensions): a query takes one per
# table and one per word it translates (vectors.words), and typing repeats them all.
CACHE_SIZE = 4096
QUERY_DAYS = 7  # how long the shared table keeps a query's vector
READY_TTL = 30.0  # seconds a "vectors exist" answer is trusted
EF_SEARCH = 100

_cache: OrderedDict[tuple[str, str], array] = OrderedDict()
_cache_lock = Lock()
_ready: dict[str, tuple[float, int]] = {}
# Embeddings started by prefetch and not yet in the cache, by the same key.
_pending: dict[tuple[str, str], Future] = {}
# Nearest-neighbour questions asked ahead by prefetch: (table, q, k, own_k, own_only) ->
# (when asked, answer). An answer is taken once, and only while it is fresh.
_asked: dict[tuple, tuple[float, Future]] = {}
ASKED_SECONDS = 5.0
# One thread per process: the in-process models run one query at a time anyway. Made on
# first use, after gunicorn has forked (a fork keeps no threads).
_pool: tuple[int, ThreadPoolExecutor] | None = None


@dataclass(frozen=True)
class Neighbour:
    id: int  # chunk id or entry id
    note_id: int | None
    similarity: float  # cosine similarity, 1 = same direction
    text: str = ""


def _remember(key: tuple[str, str], vector: list[float]) -> None:
    with _cache_lock:
        _cache[key] = array("f", vector)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def _recall(key: tuple[str, str]) -> list[float] | None:
    with _cache_lock:
        found = _cache.get(key)
        if found is None:
            return None
        _cache.move_to_end(key)
    return found.tolist()


def query_vector(model: Backend, q: str) -> list[float]:
    return query_vectors(model, [q])[0]


def query_vectors(model: Backend, texts: list[str]) -> list[list[float]]:
    """The query vectors of ``texts``, with one model call for those no process has."""
    found = {t: v for t in texts if (v := _recall((model.name, t))) is not None}
    fresh: dict[str, list[float]] = {}
    for text in [t for t in dict.fromkeys(texts) if t not in found]:
        with _cache_lock:
            started = _pending.get((model.name, text))
        if started is not None:
            vector, computed = started.result()  # the model's error, if any, is raised here
            found[text] = vector
            if computed:
                fresh[text] = vector
        elif (done := _recall((model.name, text))) is not None:
            found[text] = done  # finished between the two looks
    missing = [t for t in dict.fromkeys(texts) if t not in found]
    if missing:
        found.update(shared(model.name, missing))
        missing = [t for t in missing if t not in found]
    if missing:
        for text, vector in zip(missing, model.queries(missing), strict=True):
            _remember((model.name, text), vector)
            found[text] = fresh[text] = array("f", vector).tolist()  # as a cached one will be
    if fresh:
        share(model.name, fresh)
    return [found[t] for t in texts]


def vector_literal(vector: list[float]) -> str:
    """pgvector's text form, six significant digits (float32 keeps about seven)."""
    return "[" + ",".join(f"{x:.6g}" for x in vector) + "]"


def query_key(model: str, text: str) -> uuid.UUID:
    return uuid.UUID(hashlib.md5(f"{model}\n{text}".encode()).hexdigest())


def shared(model: str, texts: list[str]) -> dict[str, list[float]]:
    """Vectors of ``texts`` that some process has put in the shared table (and now this one)."""
    found = shared_pairs([(model, t) for t in texts])
    return {text: vector for (_model, text), vector in found.items()}


def shared_pairs(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[float]]:
    """The shared vectors of (model, text) pairs, in one statement; remembered in this process."""
    keys = {query_key(model, text): (model, text) for model, text in pairs}
    try:
        # A savepoint: a failure here must not break the request's own transaction.
        with transaction.atomic(using=DEFAULT_DB_ALIAS), connections[DEFAULT_DB_ALIAS].cursor() as cur:
            cur.execute(
                "SELECT key, embedding::real[] FROM vectors_queryvector WHERE key = ANY(%s)", [list(keys)]
            )
            rows = cur.fetchall()
    except DatabaseError as exc:
        log.warning("shared query vectors not read: %s", exc)
        return {}
    found = {}
    for key, vector in rows:
        _remember(keys[key], vector)
        found[keys[key]] = vector
    return found


def share(model: str, vectors: dict[str, list[float]]) -> None:
    """Put vectors this process computed where the others look first."""
    keys = [query_key(model, t) for t in vectors]
    literals = [vector_literal(v) for v in vectors.values()]
    try:
        with transaction.atomic(using=DEFAULT_DB_ALIAS), connections[DEFAULT_DB_ALIAS].cursor() as cur:
            cur.execute(
                "INSERT INTO vectors_queryvector (key, model, embedding, created)"
                " SELECT k, %s, e::vector, now() FROM unnest(%s::uuid[], %s::text[]) AS v(k, e)"
                " ON CONFLICT (key) DO NOTHING",
                [model, keys, literals],
            )
    except DatabaseError as exc:
        log.warning("query vectors not shared: %s", exc)


def forget_old_queries(days: int = QUERY_DAYS) -> int:
    """Delete shared query vectors older than ``days`` (the embedding worker calls this)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cur:
        cur.execute(
            "DELETE FROM vectors_queryvector WHERE created < now() - make_interval(days => %s)", [days]
        )
        return cur.rowcount


def _embed_into_cache(model: Backend, key: tuple[str, str]) -> tuple[list[float], bool]:
    """(vector, computed here): the waiting request shares what was computed (query_vectors)."""
    try:
        vector = model.queries([key[1]])[0]
        _remember(key, vector)
        return array("f", vector).tolist(), True  # as a cached one will be
    finally:
        with _cache_lock:
            _pending.pop(key, None)


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None or _pool[0] != os.getpid():
        _pool = (os.getpid(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-embed"))
    return _pool[1]


# A question nearest_chunks or nearest_entries will be asked: (table, k, own_k, own_only).
Ask = tuple[str, int, int, bool]


def prefetch(
    q: str, tables: tuple[str, ...] = (ENTRY_TABLE, CHUNK_TABLE), nearest: tuple[Ask, ...] = ()
) -> None:
    """Start embedding ``q`` for the tables' models in the background, if they will be asked for.

    The caller goes on with its word ranking; ``nearest_chunks`` and ``nearest_entries`` then
    wait for the vector (or find it cached) instead of computing it after the words are done.
    ``nearest`` lists the neighbour questions the caller will ask: they are put to the
    database from the background thread too, once the vector is there.
    """
    chosen = backend()
    if chosen is None or not q.strip():
        return
    wanted = []
    for table in tables:
        model = chosen.part(table)
        if not _dims_ready(table, model):
            continue  # no vectors yet: nobody will ask
        with _cache_lock:
            if (model.name, q) not in _cache and (model.name, q) not in _pending:
                wanted.append(model)
    known = shared_pairs([(model.name, q) for model in wanted]) if wanted else {}
    for model in wanted:
        if (model.name, q) in known:
            continue  # another process has embedded it
        with _cache_lock:
            if (model.name, q) not in _pending:
                _pending[(model.name, q)] = _executor().submit(_embed_into_cache, model, (model.name, q))
    # Another connection sees only what is committed: inside a transaction (a test's, or a
    # request that has written) the caller's own connection answers, as before.
    if nearest and not connections[read_alias()].in_atomic_block:
        ready = [ask for ask in nearest if _dims_ready(ask[0], chosen.part(ask[0]))]
        now = time.monotonic()
        with _cache_lock:
            for key in [k for k, (when, _) in _asked.items() if now - when > ASKED_SECONDS]:
                del _asked[key]
            for table, k, own_k, own_only in ready:
                key = (table, q, k, own_k, own_only)
                if key not in _asked:
                    # The replica choice (kb.replica) is a context variable: the thread takes it along.
                    task = contextvars.copy_context().run
                    _asked[key] = (now, _executor().submit(task, _nearest_from_thread, *key))


def _nearest_from_thread(table: str, q: str, k: int, own_k: int, own_only: bool) -> list[tuple]:
    # This thread keeps its connection between questions: drop it once broken or too old.
    for conn in connections.all(initialized_only=True):
        conn.close_if_unusable_or_obsolete()
    try:
        return _query_nearest(table, _COLUMNS[table], q, k, own_k, own_only)
    except DatabaseError:
        for conn in connections.all(initialized_only=True):
            conn.close()
        raise


def close_background_connections() -> None:
    """Close the background thread's database connections (tests drop their database after)."""
    if _pool is not None and _pool[0] == os.getpid():
        _pool[1].submit(connections.close_all).result()


def _answer_asked(key: tuple) -> list[tuple] | None:
    """The background answer to ``key``, if prefetch asked it and it is fresh; else None."""
    with _cache_lock:
        asked = _asked.pop(key, None)
    if asked is None or time.monotonic() - asked[0] > ASKED_SECONDS:
        return None
    try:
        return asked[1].result()
    except (DatabaseError, EmbeddingError) as exc:  # the caller asks again on its own connection
        log.warning("nearest neighbours not found in the background: %s", exc)
        return None


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
(SELECT {cols}, 1 - (embedding::vector({dims}) <=> %(q)s::vector({dims})) AS similarity
FROM {table} WHERE dims = {dims} AND model = %(model)s {extra}
ORDER BY embedding::vector({dims}) <=> %(q)s::vector({dims}) LIMIT {k})
"""
# The model filter is applied after the index scan; iterative scans keep going until k rows
# pass it. Set once per connection (tune_session), so a query is one round trip.
SESSION_SETTINGS = f"SET hnsw.ef_search = {EF_SEARCH}; SET hnsw.iterative_scan = relaxed_order"


def tune_session(sender, connection, **kwargs) -> None:
    """connection_created receiver: the HNSW settings every nearest-neighbour query wants."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(SESSION_SETTINGS)


_COLUMNS = {"vectors_notechunk": "id, note_id, text", "vectors_entryvector": "entry_id, note_id"}


def _nearest(table: str, q: str, k: int, own_k: int = 0, own_only: bool = False) -> list[tuple]:
    """The ``k`` nearest rows, then (``own_k``) the nearest among the team's own, in one query."""
    answer = _answer_asked((table, q, k, own_k, own_only))
    if answer is not None:
        return answer
    return _query_nearest(table, _COLUMNS[table], q, k, own_k, own_only)


def _query_nearest(table: str, cols: str, q: str, k: int, own_k: int, own_only: bool) -> list[tuple]:
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
    literal = vector_literal(vector)
    parts = [(k, _OWN if own_only else "")] + ([(own_k, _OWN)] if own_k else [])
    sql = " UNION ALL ".join(
        _NEAREST.format(cols=cols, table=table, dims=int(dims), extra=extra, k=int(n)) for n, extra in parts
    )
    with read_connection().cursor() as cur:
        if max(k, own_k) > EF_SEARCH:  # more than the session's setting can return
            with transaction.atomic(using=read_alias()):
                cur.execute(f"SET LOCAL hnsw.ef_search = {max(k, own_k)}")
                cur.execute(sql, {"q": literal, "model": model.name})
                return cur.fetchall()
        cur.execute(sql, {"q": literal, "model": model.name})
        return cur.fetchall()


def nearest_chunks(q: str, k: int = 50, own: bool = False, also_own: int = 0) -> list[Neighbour]:
    """Note sections closest in meaning to ``q``, best first (one note may appear twice).

    ``own`` keeps to the team's notes. ``also_own`` adds that many of the team's nearest
    after the ``k`` (in the same round trip): thousands of reference pages in the query's own
    language can fill every one of the ``k`` places before a team note in the other
    language is reached, so search asks for both lists.
    """
    rows = _nearest(CHUNK_TABLE, q, k, also_own, own_only=own)
    return [Neighbour(id=r[0], note_id=r[1], text=r[2], similarity=float(r[3])) for r in rows]


def nearest_entries(q: str, k: int = 50, own: bool = False, also_own: int = 0) -> list[Neighbour]:
    """Lookup entries closest in meaning to ``q``, best first; ``own`` and ``also_own`` as for chunks."""
    rows = _nearest(ENTRY_TABLE, q, k, also_own, own_only=own)
    return [Neighbour(id=r[0], note_id=r[1], similarity=float(r[2])) for r in rows]


def embedded_notes(note_ids: list[int]) -> set[int]:
    """Those of ``note_ids`` that have a passage vector from the current model."""
    chosen = backend()
    if chosen is None or not note_ids:
        return set()
    with read_connection().cursor() as cur:
        cur.execute(
            "SELECT DISTINCT note_id FROM vectors_notechunk"
            " WHERE note_id = ANY(%s) AND model = %s AND embedding IS NOT NULL",
            [list(note_ids), chosen.part(CHUNK_TABLE).name],
        )
        return {r[0] for r in cur.fetchall()}
