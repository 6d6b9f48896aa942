"""Values the query already names for a command's fields (placeholders.chosen), and the
words the commands use as labels, which are never taken for values.
"""

from __future__ import annotations

import re
import time
import unicodedata

from kb.replica import read_connection
from lookup import placeholders
from search.parse import Query

# A word is a label when it stands alone as a field's label ({{name}}, {{user}}) in this
# share of the commands that have fields: 20 of tldr's 22,000, at least LABEL_MIN.
LABEL_SHARE = 0.0009
LABEL_MIN = 3
_LABEL_TTL = 120.0
_label_cache: tuple[float, frozenset[str]] = (-_LABEL_TTL, frozenset())

_LABEL_WORDS = r"""
WITH fields AS (
    SELECT e.id, lower(m[1]) AS label
    FROM lookup_entry e, regexp_matches(e.command, '\{\{([^{}|\[\]]+)\}\}', 'g') AS m
)
SELECT label FROM fields
WHERE label ~ '^[a-z][a-z0-9_-]*$'
GROUP BY label
HAVING count(DISTINCT id) >= greatest(%s, %s * (SELECT count(DISTINCT id) FROM fields))
"""


def label_words() -> frozenset[str]:
    """Words the commands use as a field's whole label, so they name what to type.

    In ``{{cluster|context|user}}`` the words say what to type; in ``{{start|stop|restart}}``
    they are the values. Learnt from the entries (cached two minutes): ``{{user}}`` stands
    alone in 130 of tldr's commands, ``{{restart}}`` in none.
    """
    global _label_cache
    now = time.monotonic()
    if now - _label_cache[0] < _LABEL_TTL:
        return _label_cache[1]
    with read_connection().cursor() as cur:
        cur.execute(_LABEL_WORDS, [LABEL_MIN, LABEL_SHARE])
        words = frozenset(r[0] for r in cur.fetchall())
    _label_cache = (now, words)
    return words


# A number standing alone in a query ("最後の100行", "port 8080"), not part of a name (s3, ipv4).
_NUMBER_RE = re.compile(r"(?<![A-Za-z0-9._:/-])[0-9]+(?![A-Za-z0-9._:/-]|\.[0-9])")


def numbers_in(q: str) -> list[str]:
    return list(dict.fromkeys(_NUMBER_RE.findall(unicodedata.normalize("NFKC", q))))


def asked_values(query: Query, entries: list, command_words: list[str]) -> None:
    """Set each entry's ``preset``: the values of its fields that the query names."""
    words = {w.lower() for t in query.terms for w in t.highlights} | set(command_words)
    for entry in entries:
        entry.preset = placeholders.chosen(entry.command, words)
    # The labels are asked for only when some value was found: most lookups name none.
    if any(entry.preset for entry in entries):
        labels = label_words()
        for entry in entries:
            if entry.preset:
                entry.preset = placeholders.chosen(entry.command, words, labels)
    numbers = numbers_in(query.raw)
    if numbers:
        took: set[int] = set()  # entries that took the query's number
        for entry in entries:
            if counted_field := placeholders.counted(entry.command, numbers):
                entry.preset.update(counted_field)
                took.add(entry.pk)
            # A team's own command keeps the numbers written into it (--tail 100).
            if entry.origin == entry.Origin.TLDR and (
                counted := placeholders.renumbered(entry.command, numbers)
            ):
                # Shown, not saved; the task says the same count ("Show last 50 lines").
                entry.command, old = counted
                entry.tasks = [
                    placeholders.COUNT_RE.sub(
                        lambda m, old=old: numbers[0] if m.group() == old else m.group(), t
                    )
                    for t in entry.tasks
                ]
                took.add(entry.pk)
        entries[:TOP] = counted_first(entries[:TOP], took)


# The places within which an entry that took the query's number goes before the same
# command without one: the page (20), the API (10) and /q/ (5) show the same first three.
TOP = 3


def counted_first(entries: list, took: set[int]) -> list:
    """Entries of one command that took the query's number before those of it that did not.

    "last 100 lines" ranked `tail <file>` ("Show last 10 lines") above `tail -100 <file>`;
    both are tail, and the one that says 100 is the answer. Other commands keep their places.
    """
    out = list(entries)
    for i, entry in enumerate(out):
        if entry.pk in took:
            continue
        later = next(
            (
                j
                for j in range(i + 1, len(out))
                if out[j].pk in took and out[j].command_key == entry.command_key
            ),
            None,
        )
        if later is not None:
            out.insert(i, out.pop(later))
    return out
