"""Mixing the word ranking of lookup entries with their nearest neighbours by meaning.

The same idea as search.fusion, with the evidence lookup has: how much of the task the
best word match covers (every important word in its task, tags or command, or only some),
and whether the query names a command (words win) or says a task in other words or
another language (meaning wins). Each entry's meaning score adds its page's similarity
to its own: "JSONを整形したい" is near both jq's page ("A JSON processor") and its example.

Two priors break near-ties: the tools the team's own notes use (learnt from their
entries, so a Docker team gets `docker save` before `podman save`) and the language the
query is written in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

from lookup import danger

PAGE_WEIGHT = 1.5  # share of the page's similarity (on the entries' scale) added to the entry's own
WEIGHT_FULL = 0.5  # the best word match has every important word
# ... and few entries do: specific evidence ("ログを追いかけたい" → the four `docker logs`
# entries), which meaning alone (ログイン near ログ) should not overturn. At 0.7 a lone full
# match scoring 1.7 times the rest still lost by 0.004 to a half match nearest in meaning
# (「コンテナの終了コードを見たい」: `docker logs` over `docker inspect --format …ExitCode`).
WEIGHT_FULL_FEW = 0.75
FEW_FULL = 5
WEIGHT_PARTIAL = 0.7  # scaled by how much of the query the best match covers
WEIGHT_COMMAND = 0.85  # the query names a command that exists
TEAM_BONUS = 0.08  # at full team usage, on the 0..1 scale
TEAM_SATURATION = 20  # team entries of a tool at which it counts as fully "ours"
LANGUAGE_BONUS = 0.03
MAX_VECTOR_ONLY = 30
# Spreads above the model's noise floor that an entry found by meaning alone needs when
# another has every word of the query (as meaning alone needs with no word found at all).
NEAR_BESIDE_FULL = 1.5
UNASKED_DESTRUCTION = 0.0  # share of its meaning score a destructive command keeps (lookup.danger)
# (it was 0.5: USE put 「kbのDBバックアップ取りたい」 at 0.97 from `pg_restore --clean`, and half of
# that still beat the backup command, which has every word)


class Row(NamedTuple):
    """One candidate entry as the word ranking found it (or meaning alone, with no score)."""

    pk: int
    score: float
    command: str
    exact_task: bool
    command_key: str
    language: str
    position: int
    covered: float  # share of the query's weighted terms the entry has
    command_len: int
    origin: str


@dataclass
class Candidate:
    pk: int
    command: str
    command_key: str
    language: str
    exact_task: bool = False
    lexical_rank: int | None = None
    lexical_score: float = 0.0  # the word ranking's score (ties stay ties, unlike ranks)
    coverage: float = 0.0
    similarity: float | None = None  # entry's own, plus its page's share
    row: Row | tuple = field(default=(), repr=False)  # handed back in order


def team_share(command_key: str, team_tools: dict[str, int]) -> float:
    tool = command_key.split(" ", 1)[0]
    n = team_tools.get(tool, 0)
    return min(1.0, math.log1p(n) / math.log1p(TEAM_SATURATION)) if n else 0.0


def lexical_weight(candidates: list[Candidate], names_command: bool, has_vectors: bool) -> float:
    lexical = [c for c in candidates if c.lexical_rank is not None]
    if not lexical:
        return 0.0
    if not has_vectors:
        return 1.0
    if names_command:
        return WEIGHT_COMMAND
    best = max(c.coverage for c in lexical)
    if best >= 0.999:
        full = sum(1 for c in lexical if c.coverage >= 0.999)
        return WEIGHT_FULL_FEW if full <= FEW_FULL else WEIGHT_FULL
    return WEIGHT_PARTIAL * best


def fuse(
    candidates: list[Candidate],
    names_command: bool,
    lang: str,
    team_tools: dict[str, int],
    spread: float = 0.08,
    min_similarity: float = 0.78,
    query: str = "",
) -> list[Candidate]:
    """Candidates best first; ``spread`` and ``min_similarity`` are the model's scale."""
    careful = not danger.asks_to_destroy(query)
    sims = [c.similarity for c in candidates if c.similarity is not None]
    top = max(sims) if sims else 0.0
    meaningful = top >= min_similarity
    alpha = lexical_weight(candidates, names_command, meaningful)
    if not meaningful:
        alpha = 1.0
    floor = top - spread
    best_lexical = max((c.lexical_score for c in candidates if c.lexical_rank is not None), default=0.0)

    def score(c: Candidate) -> float:
        lex = 0.0
        if c.lexical_rank is not None and best_lexical > 0:
            lex = max(0.0, c.lexical_score) / best_lexical
        vec = 0.0
        if meaningful and c.similarity is not None and c.similarity > floor:
            vec = (c.similarity - floor) / spread
            if careful and c.coverage < 0.999 and danger.destroys(c.command):
                vec *= UNASKED_DESTRUCTION  # not found by every word, and nobody asked to delete
        prior = TEAM_BONUS * team_share(c.command_key, team_tools)
        prior += LANGUAGE_BONUS if c.language == lang else 0.0
        return alpha * lex + (1 - alpha) * vec + prior

    kept = [c for c in candidates if c.lexical_rank is not None]
    vector_only = [c for c in candidates if c.lexical_rank is None and c.similarity is not None]
    vector_only.sort(key=lambda c: -(c.similarity or 0.0))
    if meaningful:
        # When some entry has every word, one found by meaning alone must also be clearly near
        # on the model's own scale, not merely near the best neighbour: on the starter notes and
        # a few tldr pages, 「コミットする」 had `git commit` by every word, and the nearest
        # entry by meaning was a tmpfs mount (task "tmpfs") at 0.49, 1.3 spreads over the noise.
        full = any(c.coverage >= 0.999 for c in candidates if c.lexical_rank is not None)
        bar = min_similarity + NEAR_BESIDE_FULL * spread if full else -1.0
        kept += [c for c in vector_only[:MAX_VECTOR_ONLY] if (c.similarity or 0.0) > max(floor, bar)]
    scored = {c.pk: score(c) for c in kept}
    return sorted(kept, key=lambda c: (not c.exact_task, -scored[c.pk]))
