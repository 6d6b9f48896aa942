"""Fusing the word ranking with the meaning ranking, deciding per query whom to trust.

Plain reciprocal-rank fusion gives the word list half the vote even when it found nothing
useful (an English question over Japanese notes matches one stray word), and gives the
vectors half the vote when the words were exact (`-p`, `env_file`, a note's title). Here
the word list's weight comes from the evidence of this query:

* every word matched somewhere (AND) or only some (OR fallback) or none;
* how specific the match is (a capped candidate set means a common word);
* whether the query is code (flags, paths, dotted or underscored names) that every word
  matched, where words win; a task in words with one code token that no note has
  (「設定ファイル中の${VAR}を…置き換えたい」) is weighed as any partial match;
* whether the query is written in another script than the notes that matched by meaning
  (an English question whose best meaning-matches are Japanese notes).

Scores are put on one 0..1 scale before mixing: the word list by rank, the vectors by
similarity relative to the best neighbour, on the model's own scale (e5's cosines crowd
into a narrow band, USE's spread wide: the distance from the best says more than the value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Rank-based word score: LEX_K + 1 over LEX_K + 1 + rank (1.0 for the first).
LEX_K = 4
# Reference pages (tldr) count this share of the spread less similar, as the word ranking
# halves their score.
REFERENCE_PENALTY = 0.8
# Models score a passage in the query's own language higher than an equally good one in
# the other language; this share of the model's spread is taken off same-language passages.
LANGUAGE_BIAS = 0.5
# Neighbours found only by meaning that may join the results.
MAX_VECTOR_ONLY = 20
# With no word found anywhere, the nearest passage must be this many spreads above the
# model's noise floor: "zzzzqqq" and "あいうえお" land 0.2-0.5 above it on seed + tldr, a
# paraphrase such as 「ディスクを食っているのは何か」 0.7 and more. No answer beats a wrong one.
MEANING_ALONE = 0.6
# Word hits (of an OR fallback) whose term coverage is measured.
COVERAGE_OF = 30

# Word-list weights by kind of lexical evidence.
WEIGHT_AND = 0.6
WEIGHT_OR = 0.3
WEIGHT_TRANSLATED = 0.45  # every word, some only through their translation (vectors.words)
WEIGHT_CODE = 0.85
WEIGHT_COMMON = -0.1  # a capped AND set: the words are everywhere

_CODE_RE = re.compile(r"(?:^|\s)-{1,2}[\w]|[\w][._/:=][\w]|\d+\.\d+|[\w]_[\w]|[`$<>{}|]")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


@dataclass
class Evidence:
    lexical: list[int]  # note ids, best first
    mode: str  # "and": every word matched; "translated": every word in one language or the other; "or": some; "": none
    vector: dict[int, float] = field(default_factory=dict)  # note id -> cosine similarity
    reference: set[int] = field(default_factory=set)  # reference pages among the candidates
    exact: int | None = None  # the note whose title is the query
    capped: bool = False  # the AND set reached the candidate cap
    query: str = ""
    # Share of the query's terms each word hit has, when not all matched (the OR fallback).
    coverage: dict[int, float] = field(default_factory=dict)
    language: dict[int, str] = field(default_factory=dict)  # "ja" or "en" per candidate note
    # Word hits the worker has not embedded yet (a note saved a moment ago): meaning has no
    # say on them, so they rank by their words alone instead of losing to weak neighbours.
    unembedded: set[int] = field(default_factory=set)
    # The model's scale (vectors.backends.Backend): how far below the best neighbour a
    # similarity still counts, and under what best similarity the neighbours are noise.
    spread: float = 0.08
    floor: float = 0.78
    # Notes with almost no text: their words count, their vectors say nothing.
    short: set[int] = field(default_factory=set)


def is_code(q: str) -> bool:
    return bool(_CODE_RE.search(q))


def is_cjk(q: str) -> bool:
    return bool(_CJK_RE.search(q))


def lexical_weight(ev: Evidence) -> float:
    """How much the word ranking decides for this query (0 = meaning only, 1 = words only)."""
    if not ev.lexical:
        return 0.0
    if not ev.vector:
        return 1.0
    if is_code(ev.query) and ev.mode == "and":
        return WEIGHT_CODE
    if ev.mode == "translated":
        return WEIGHT_TRANSLATED
    if ev.mode != "and":
        # One stray word of three says little; most of the words say more.
        best = max(ev.coverage.values(), default=0.5)
        return WEIGHT_OR * min(1.0, best / 0.75)
    return WEIGHT_AND + (WEIGHT_COMMON if ev.capped else 0.0)


def vector_scores(ev: Evidence) -> dict[int, float]:
    """Similarities on a 0..1 scale relative to the best neighbour; empty when all are noise."""
    if not ev.vector:
        return {}
    lang = "ja" if is_cjk(ev.query) else "en"
    adjusted = {
        i: s
        - (REFERENCE_PENALTY * ev.spread if i in ev.reference else 0.0)
        - (LANGUAGE_BIAS * ev.spread if ev.language.get(i) == lang else 0.0)
        for i, s in ev.vector.items()
    }
    top = max(adjusted.values())
    if top < ev.floor:
        return {}
    floor = top - ev.spread
    return {i: (s - floor) / ev.spread for i, s in adjusted.items() if s > floor}


def fuse(ev: Evidence) -> list[int]:
    """Note ids, best first: the word hits and the meaning hits, mixed by the evidence."""
    if not ev.lexical and ev.vector and max(ev.vector.values()) < ev.floor + MEANING_ALONE * ev.spread:
        return []
    alpha = lexical_weight(ev)
    vec = vector_scores(ev)
    if not vec:
        alpha = 1.0
    lex = {i: (LEX_K + 1) / (LEX_K + 1 + r) for r, i in enumerate(ev.lexical)}
    if ev.coverage:
        lex = {i: s * ev.coverage.get(i, 0.5) for i, s in lex.items()}
    # A note found by meaning alone joins only when it is near on the model's own scale,
    # not merely near the best neighbour: above the noise floor always, and as clearly
    # near as meaning alone must be when every word already found its notes. Short
    # notes ("x", "A", a one-line stub) sit close to every query and would fill the list.
    bar = ev.floor + (MEANING_ALONE * ev.spread if ev.mode == "and" else 0.0)
    near = (i for i in vec if i not in lex and ev.vector[i] > bar and i not in ev.short)
    vector_only = sorted(near, key=lambda i: -vec[i])[:MAX_VECTOR_ONLY]
    candidates = list(lex) + vector_only
    score = {i: alpha * lex.get(i, 0.0) + (1 - alpha) * vec.get(i, 0.0) for i in candidates}
    for i in ev.unembedded & score.keys():
        score[i] = lex.get(i, 0.0)
    order = sorted(candidates, key=lambda i: -score[i])  # stable: ties keep the word order
    if ev.exact is not None and ev.exact in score:
        order.remove(ev.exact)
        order.insert(0, ev.exact)
    return order
