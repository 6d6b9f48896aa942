"""HNSW indexes, one per vector dimension in use.

The column is an unsized ``vector`` so a team can switch models without a migration; an
HNSW index needs a fixed size, so each dimension gets a partial index over
``embedding::vector(N) WHERE dims = N``. Queries spell the same expression and condition
(with N written into the SQL, not passed as a parameter) so the planner picks it.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection, transaction

log = logging.getLogger(__name__)
_ensured: set[tuple[str, int]] = set()

TABLES = ("vectors_notechunk", "vectors_entryvector")


# The team's own passages and entries get indexes of their own (vectors.search, own=True):
# scanning the whole index for them walked through thousands of reference pages first.
OWN_CONDITION = "NOT reference"  # vectors.search spells the same condition, so the planner can use these
OWN = [(table, "own_", f" AND {OWN_CONDITION}") for table in TABLES]


def index_name(table: str, dims: int, prefix: str = "") -> str:
    return f"{table.removeprefix('vectors_')}_{prefix}hnsw_{int(dims)}"


def create_sql(table: str, dims: int, prefix: str = "", condition: str = "") -> str:
    dims = int(dims)
    return (
        f"CREATE INDEX IF NOT EXISTS {index_name(table, dims, prefix)} ON {table} "
        f"USING hnsw ((embedding::vector({dims})) vector_cosine_ops) WHERE dims = {dims}{condition}"
    )


def ensure(dims: int) -> None:
    """Create the indexes for vectors of ``dims`` dimensions if they are missing.

    A missing index only makes nearest-neighbour queries scan, so a failure here is logged,
    never raised: the vectors are still stored.
    """
    if dims <= 0 or dims > 2000:  # pgvector's HNSW limit for vector
        return
    for table, prefix, condition in [(t, "", "") for t in TABLES] + OWN:
        key = (connection.alias + ":" + connection.settings_dict["NAME"] + table + prefix, dims)
        if key in _ensured:
            continue
        with connection.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [index_name(table, dims, prefix)])
            exists = cur.fetchone() is not None
        if not exists:
            try:
                with transaction.atomic(), connection.cursor() as cur:
                    cur.execute(create_sql(table, dims, prefix, condition))
            except DatabaseError as exc:
                log.warning("no HNSW index for %s dimensions on %s: %s", dims, table, exc)
                continue
        _ensured.add(key)
