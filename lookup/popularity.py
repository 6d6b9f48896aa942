"""A prior for ranking: how often other commands use a command's name.

tldr has no usage counts, but its examples do pipe into one another: `wc`,
`grep` and `find` turn up in hundreds of other commands, `loc` or `gdu` in a
handful. Half the prior is that count, log-scaled into 0..1; the other half is
how many examples the command (with its subcommand) itself has (`git branch` many, the add-on
`git delete-branch` one or two). It only breaks ties between equally good task
matches. Entries from the team's own notes and hand-written ones get the
top value: they are what this team actually runs.
"""

from __future__ import annotations

from django.db import connection

SATURATION = 500  # mentions at which a command counts as fully "common"
FAMILY_SATURATION = 25  # examples of one (sub)command at which its page counts as thorough

_REFRESH = """
WITH mentions AS (
    SELECT w, count(*) AS n
    FROM (
        SELECT DISTINCT id, w
        FROM lookup_entry, regexp_split_to_table(lower(command), '[^a-z0-9._+-]+') AS w
        WHERE origin = 'tldr'
    ) words
    WHERE w <> ''
    GROUP BY w
),
families AS (
    SELECT command_key AS f, count(*) AS n FROM lookup_entry WHERE origin = 'tldr' GROUP BY 1
),
prior AS (
    SELECT e.id,
        0.5 * LEAST(1.0, ln(1 + coalesce(m.n, 0)) / ln(1 + %(sat)s))
        + 0.5 * LEAST(1.0, ln(1 + coalesce(f.n, 0)) / ln(1 + %(family_sat)s)) AS p
    FROM lookup_entry e
    LEFT JOIN mentions m ON m.w = split_part(e.command_key, ' ', 1)
    LEFT JOIN families f ON f.f = e.command_key
    WHERE e.origin = 'tldr'
)
UPDATE lookup_entry e SET popularity = prior.p
FROM prior WHERE e.id = prior.id AND e.popularity IS DISTINCT FROM prior.p
"""


def refresh() -> int:
    """Recompute the prior of every tldr entry (one statement; run after imports)."""
    with connection.cursor() as cur:
        cur.execute(_REFRESH, {"sat": SATURATION, "family_sat": FAMILY_SATURATION})
        return cur.rowcount
