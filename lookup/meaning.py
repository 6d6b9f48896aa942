"""The lookup's meaning side: the entries and pages nearest a task, fused with the word
ranking (lookup.fusion), and the team's own entries that follow a word match."""

from __future__ import annotations

import re
import time
from functools import lru_cache

from django.db.models import Value

from kb.replica import read_connection
from lookup import placeholders
from lookup.fusion import PAGE_WEIGHT, Candidate, Row, fuse
from search.fusion import is_code
from vectors.backends import CHUNK_TABLE, ENTRY_TABLE, backend
from vectors.search import nearest_chunks, nearest_entries

# Neighbours asked of the vector index: entries, and pages for their share.
NEIGHBOURS = 50
OWN_NEIGHBOURS = 20  # and as many again among the team's own entries
PAGE_NEIGHBOURS = 30
# with_meaning's questions, which the lookup asks ahead (vectors.search.prefetch).
ASKED_AHEAD = ((ENTRY_TABLE, NEIGHBOURS, OWN_NEIGHBOURS, False), (CHUNK_TABLE, PAGE_NEIGHBOURS, 0, False))
# When no entry shares a word with the query, meaning alone must be this many of the model's
# spreads above its noise floor to answer: "ほげほげ" and "qqqzzzxx" land 0.3-0.4 from
# everything under USE, where a real task without a shared word is 0.55 or more.
MEANING_ALONE = 1.5
# Words that found under half of the task, with nothing near in meaning (within a spread of
# the noise floor), are no answer either: on the starter notes, "undo my last git commit"
# matched only "last" (最後に gunicorn に置き換わる) at 0.31, and offered `exec "$@"`.
WEAK_COVERAGE = 0.5
WEAK_MEANING = 1.0
# Entries of a tool in the team's notes before its commands take over another tool's meaning
# (_with_team_tool_twins), and how many such entries one lookup looks at.
TWIN_TOOL_ENTRIES = 5
MAX_TWINS = 200
# Another tool is the team's tool's twin when most of its subcommands are the team tool's
# too: podman has 14 of its 16 among docker's, nerdctl all 7. skicka (a Google Drive client)
# has only `rm` of its 6, and its "Delete a file" made `docker rm` the answer to
# "delete a file".
TWIN_SHARE = 0.5
TWIN_SHARED = 3
SUBCOMMANDS_TTL = 300.0
_subcommands: tuple[float, dict[str, frozenset[str]]] = (-SUBCOMMANDS_TTL, {})
_TEAM_TTL = 60.0
_team_cache: tuple[float, dict[str, int]] = (-_TEAM_TTL, {})


def team_tools() -> dict[str, int]:
    """Entries per tool (the command's first word) in the team's own notes, cached a minute."""
    global _team_cache
    now = time.monotonic()
    if now - _team_cache[0] < _TEAM_TTL:
        return _team_cache[1]
    from lookup.models import Entry

    counts: dict[str, int] = {}
    keys = Entry.objects.exclude(origin=Entry.Origin.TLDR).values_list("command_key", flat=True)
    for key in keys.iterator():
        tool = key.split(" ", 1)[0]
        if tool:
            counts[tool] = counts.get(tool, 0) + 1
    _team_cache = (now, counts)
    return counts


def subcommands() -> dict[str, frozenset[str]]:
    """Each tool the entries run, with its subcommands (`docker` → run, exec, ps, …; `ls` → none).

    One pass over the distinct command keys (about 7 ms on all of tldr), kept five minutes:
    asking per lookup for the tools at hand scanned the table each time (5 ms).
    """
    global _subcommands
    now = time.monotonic()
    if now - _subcommands[0] < SUBCOMMANDS_TTL:
        return _subcommands[1]
    found: dict[str, set[str]] = {}
    with read_connection().cursor() as cur:
        cur.execute("SELECT DISTINCT command_key FROM lookup_entry")
        for (key,) in cur.fetchall():
            tool, _, rest = key.partition(" ")
            sub = rest.split(" ", 1)[0]
            if tool:
                found.setdefault(tool, set()).update([sub] if sub else [])
    _subcommands = (now, {tool: frozenset(subs) for tool, subs in found.items()})
    return _subcommands[1]


def are_twins(other: frozenset[str], team_tool: frozenset[str]) -> bool:
    """Whether a tool with subcommands ``other`` is a stand-in for the team's tool."""
    shared = len(other & team_tool)
    return shared >= TWIN_SHARED and shared >= TWIN_SHARE * len(other)


def _rows(qs, limit: int | None = None) -> list[Row]:
    """Rows for entries the word ranking did not score."""
    unscored = {"score": Value(0.0), "exact_task": Value(False), "covered": Value(0.0)}
    return list(map(Row._make, qs.annotate(**unscored).values_list(*Row._fields)[:limit]))


def unscored(qs, pks: list[int]) -> dict[int, Row]:
    """Rows for entries found by meaning alone: only those the caller's queryset allows."""
    return {row.pk: row for row in _rows(qs.filter(pk__in=pks))}


def with_team_twins(qs, q: str, ranked: list[Row]) -> list[Row]:
    """The word ranking, with the team's entries near in meaning for the same command next to it.

    "follow container logs" is tldr's `docker logs -f` by every word; the team's
    「ログを追いかける」 (`docker logs -f --tail 100 …`) shares none of them in its task, and is
    how the team does it. Team entries for other commands are left out: their words do not
    say the task, and meaning alone put `docker top` above `ps` for "show running processes".
    """
    neighbours = nearest_entries(q, OWN_NEIGHBOURS, own=True)
    ranked_rows = {row.pk: row for row in ranked}
    found = unscored(qs, [n.id for n in neighbours if n.id not in ranked_rows])
    first: dict[str, int] = {}  # command key -> the best word match for it
    for row in ranked:
        if row.command_key:
            first.setdefault(row.command_key, row.pk)
    twins: dict[str, list[Row]] = {}
    for n in neighbours:  # nearest first
        row = ranked_rows.get(n.id) or found.get(n.id)
        if row is not None and row.command_key in first and first[row.command_key] != row.pk:
            twins.setdefault(row.command_key, []).append(row)
    moved = {row.pk for rows in twins.values() for row in rows}
    out: list[Row] = []
    for row in ranked:
        if row.pk not in moved:
            out.append(row)
            if first.get(row.command_key) == row.pk:
                out += twins.pop(row.command_key, [])
    return out


@lru_cache(maxsize=4096)
def _shape(command: str) -> tuple[str, ...]:
    """The command after its tool, fields as blanks: `exec -it {} {}` for both
    `podman exec -it {{container}} {{/bin/bash}}` and `docker exec -it {{container}} {{/bin/bash}}`."""
    words = placeholders.fill(re.sub(r"\{\{(?!\[)[^{}]*\}\}", "{}", command)).split()
    return tuple(words[1:])


def _with_team_tool_twins(qs, candidates: dict[int, Candidate], spread: float) -> None:
    """Give the team's tool the meaning found for the same command of another tool.

    tldr words the same task differently per page: "get a shell inside a running container"
    is 0.90 from `podman exec -it …` and 0.71 from `docker exec -it …`, so on a Docker team
    podman won. An entry of a tool the team's notes use, with the same subcommand, options
    and fields as a nearer entry of a twin tool (are_twins), takes that entry's similarity;
    the team prior (lookup.fusion) then breaks the tie for the team's tool.
    """
    tools = [tool for tool, n in team_tools().items() if n >= TWIN_TOOL_ENTRIES]
    top = max((c.similarity for c in candidates.values() if c.similarity is not None), default=None)
    if not tools or top is None:
        return
    # Only similarities that can still count in the fusion (within a spread of the best).
    near = [
        c
        for c in candidates.values()
        if c.similarity is not None and c.similarity >= top - spread and " " in c.command_key
    ]
    subs = subcommands()
    wanted: dict[str, dict[tuple[str, ...], float]] = {}  # command key -> shape -> similarity
    for c in near:
        tool, _, rest = c.command_key.partition(" ")
        if tool in tools:
            continue
        for team_tool in tools:
            if not are_twins(subs.get(tool, frozenset()), subs.get(team_tool, frozenset())):
                continue
            shapes = wanted.setdefault(f"{team_tool} {rest}", {})
            shape = _shape(c.command)
            shapes[shape] = max(c.similarity, shapes.get(shape, c.similarity))
    if not wanted:
        return
    for row in _rows(qs.filter(command_key__in=list(wanted)), MAX_TWINS):
        sim = wanted[row.command_key].get(_shape(row.command))
        if sim is None:
            continue
        c = candidates.setdefault(
            row.pk,
            Candidate(
                pk=row.pk, command=row.command, command_key=row.command_key, language=row.language, row=row
            ),
        )
        c.similarity = max(sim, c.similarity or sim)


def with_meaning(qs, q: str, ranked: list[Row], key: str, lang: str) -> list[Row]:
    """The word ranking fused with the entries nearest in meaning (lookup.fusion)."""
    # Thousands of tldr entries can fill every place before the team's own answer.
    neighbours = nearest_entries(q, NEIGHBOURS, also_own=OWN_NEIGHBOURS)
    if not neighbours:
        return ranked
    models = backend()
    entry_model = models.part(ENTRY_TABLE) if models else None
    if entry_model:
        nearest = max(n.similarity for n in neighbours)
        if not ranked and nearest < entry_model.floor + MEANING_ALONE * entry_model.spread:
            return []  # nothing shares a word, and nothing is near: no answer beats a wrong one
        weak_words = ranked and max(row.covered for row in ranked) < WEAK_COVERAGE
        if weak_words and nearest < entry_model.floor + WEAK_MEANING * entry_model.spread:
            return []  # a word or two in passing, and nothing near
    # A page counts with its best passage (before, a page with several took its last).
    # Pages may be embedded by another model than entries (vectors.backends.Blend).
    pages: dict[int, float] = {}
    for c in nearest_chunks(q, PAGE_NEIGHBOURS):
        sim = models.part(CHUNK_TABLE).on_scale_of(entry_model, c.similarity) if models else c.similarity
        pages[c.note_id] = max(sim, pages.get(c.note_id, sim))
    page_floor = min(pages.values()) if pages else 0.0
    sims = {
        n.id: n.similarity + PAGE_WEIGHT * pages.get(n.note_id, page_floor) - PAGE_WEIGHT * page_floor
        for n in neighbours
    }
    candidates = {
        row.pk: Candidate(
            pk=row.pk,
            command=row.command,
            command_key=row.command_key,
            language=row.language,
            exact_task=bool(row.exact_task),
            lexical_rank=rank,
            lexical_score=row.score,
            coverage=row.covered,
            row=row,
        )
        for rank, row in enumerate(ranked)
    }
    missing = [pk for pk in sims if pk not in candidates]
    for row in unscored(qs, missing).values():  # no query when nothing is missing
        candidates[row.pk] = Candidate(
            pk=row.pk, command=row.command, command_key=row.command_key, language=row.language, row=row
        )
    for pk, sim in sims.items():
        if pk in candidates:
            candidates[pk].similarity = sim
    _with_team_tool_twins(qs, candidates, entry_model.spread if entry_model else 0.08)
    lexical = [c for c in candidates.values() if c.lexical_rank is not None]
    # A command's name, or code that entries have every word of (`-p`, `--rm`): words decide.
    # USE puts "-p" 0.41 from a tmpfs mount, which as the nearest entry took meaning's whole say.
    names_command = (bool(key) and any(c.command_key and key.startswith(c.command_key) for c in lexical)) or (
        is_code(q) and any(c.coverage >= 0.999 for c in lexical)
    )
    model = entry_model
    fused = fuse(
        list(candidates.values()),
        names_command,
        lang,
        team_tools(),
        spread=model.spread if model else 0.08,
        min_similarity=model.floor if model else 0.78,
        query=q,
    )
    return [c.row for c in fused]
