"""The embedding worker: claim rows that need a vector, embed them, write them back.

Claiming is ``FOR UPDATE SKIP LOCKED`` inside a short transaction that sets a lease
(``claimed_until``) and commits before the model runs: several workers share the queue
without blocking each other or a note save, and a worker killed mid-batch only delays
its rows until the lease runs out. Writing back checks the digest, so a row whose text
changed while it was being embedded stays in the queue instead of getting a stale vector.
Running it twice does nothing the second time: it is idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

from vectors import index, search
from vectors.backends import Backend

log = logging.getLogger(__name__)

LEASE = "10 minutes"
_KEYS = {"vectors_notechunk": "id", "vectors_entryvector": "entry_id", "vectors_wordvector": "id"}

_CLAIM = """
WITH picked AS (
    SELECT {key} FROM {table}
    WHERE (embedding IS NULL OR model <> %(model)s) AND (claimed_until IS NULL OR claimed_until < now())
    ORDER BY {key} LIMIT %(limit)s FOR UPDATE SKIP LOCKED
)
UPDATE {table} t SET claimed_until = now() + interval '{lease}'
FROM picked WHERE t.{key} = picked.{key}
RETURNING t.{key}, t.text, t.digest
"""

_STORE = """
UPDATE {table} t SET embedding = v.embedding::vector, model = %s, dims = %s, claimed_until = NULL
FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(key, digest, embedding)
WHERE t.{key} = v.key AND t.digest = v.digest
"""

_RELEASE = "UPDATE {table} SET claimed_until = NULL WHERE {key} = ANY(%s)"


@dataclass
class Progress:
    embedded: int = 0
    failed: int = 0


def pending(backend: Backend) -> int:
    with connection.cursor() as cur:
        total = 0
        for table in _KEYS:
            model = backend.part(table).name
            cur.execute(f"SELECT count(*) FROM {table} WHERE embedding IS NULL OR model <> %s", [model])
            total += cur.fetchone()[0]
        return total


def claim(table: str, model: str, limit: int) -> list[tuple[int, str, str]]:
    sql = _CLAIM.format(table=table, key=_KEYS[table], lease=LEASE)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, {"model": model, "limit": limit})
        return cur.fetchall()


def store(table: str, model: str, rows: list[tuple[int, str, str]], vectors: list[list[float]]) -> int:
    dims = len(vectors[0]) if vectors else 0
    index.ensure(dims)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            _STORE.format(table=table, key=_KEYS[table]),
            [
                model,
                dims,
                [r[0] for r in rows],
                [r[2] for r in rows],
                [search.vector_literal(v) for v in vectors],
            ],
        )
        stored = cur.rowcount
    search.forget_readiness()  # this process answers by meaning from now on
    return stored


def release(table: str, rows: list[tuple[int, str, str]]) -> None:
    with connection.cursor() as cur:
        cur.execute(_RELEASE.format(table=table, key=_KEYS[table]), [[r[0] for r in rows]])


def run_batch(backend: Backend, batch: int = 32) -> int:
    """Embed one batch from each table; returns how many rows got a vector."""
    done = 0
    for table in _KEYS:
        model = backend.part(table)
        rows = claim(table, model.name, batch)
        if not rows:
            continue
        texts = [r[1] for r in rows]
        # Identical passages (the same command on several pages) are embedded once.
        unique = list(dict.fromkeys(texts))
        try:
            vectors = dict(zip(unique, model.passages(unique), strict=True))
        except Exception:
            release(table, rows)  # let another try (or this one, later) instead of waiting for the lease
            raise
        done += store(table, model.name, rows, [vectors[t] for t in texts])
    return done


def drain(backend: Backend, batch: int = 32, progress: Callable[[int], None] | None = None) -> int:
    """Embed until nothing is left; returns the number embedded."""
    total = 0
    while True:
        n = run_batch(backend, batch)
        if n == 0 and not _claimable(backend):
            return total
        total += n
        if progress:
            progress(n)


def _claimable(backend: Backend) -> bool:
    with connection.cursor() as cur:
        for table in _KEYS:
            model = backend.part(table).name
            cur.execute(
                f"SELECT 1 FROM {table} WHERE (embedding IS NULL OR model <> %s)"
                " AND (claimed_until IS NULL OR claimed_until < now()) LIMIT 1",
                [model],
            )
            if cur.fetchone():
                return True
    return False
