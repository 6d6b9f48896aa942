"""Ranking task queries against lookup entries.

Matching is OR over the query's terms (parsed by the shared tokenizer, so
conjugations and intent words are already gone and synonyms are alternatives),
and the score orders by:

1. coverage: how many of the query's terms the entry has (tasks, tags, command);
2. exact command: the typed words are the command ("ls" → `ls`, not
   `docker network ls`), then the command's name among the typed words;
3. ts_rank with task phrasings weighted over command words and explanations;
4. shorter commands first.
"""

from __future__ import annotations

import re

from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from search.tokenize import STOP_WORDS_EN, normalize, parse_query

MAX_TERMS = 8
# Filler that survives the shared stop list but rarely decides which command is meant.
WEAK_WORDS_EN = frozenset(
    "its their them all one more some specific given current new file files using".split()
)
# ts_rank weights for {D, C, B, A}: explanation, command words, tags, task phrasings.
RANK_WEIGHTS = "{0.05, 0.3, 0.3, 1.0}"
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_ASCII_WORD_RE = re.compile(r"(?<![\w-])[a-z0-9][a-z0-9._+-]*")


def synonym_groups() -> list[list[str]]:
    try:
        from search.synonyms import groups
    except ImportError:  # search app not installed
        return []
    return list(groups())


def term_weight(surface: str) -> float:
    """Words that say little about the task count less towards coverage."""
    if len(surface) == 1 and _CJK_RE.match(surface):
        return 0.4  # 中 in コンテナの中で: a lone kanji left over from a phrase
    if surface in WEAK_WORDS_EN:
        return 0.4
    return 1.0


def command_words_of(q: str) -> list[str]:
    """ASCII words typed in the query, as they may appear in a command."""
    return [w for w in _ASCII_WORD_RE.findall(normalize(q)) if w not in STOP_WORDS_EN]


def lookup(qs, q: str, limit: int = 10) -> list:
    query = parse_query(q, synonyms=synonym_groups())
    if not query:
        return []
    kept = query.terms[:MAX_TERMS]
    terms = [t.tsquery() for t in kept]
    weights = [term_weight(t.surface) for t in kept]
    any_term = " | ".join(terms)
    words = command_words_of(q)
    key = " ".join(words)
    lang = "ja" if _CJK_RE.search(q) else "en"
    coverage = " + ".join(f"(search_vector @@ %s::tsquery)::int * {w}" for w in weights)
    score = RawSQL(
        f"({coverage}) * 1.0"
        " + CASE WHEN command_key = %s THEN 0.9"
        "   WHEN command_key <> '' AND starts_with(%s, command_key || ' ') THEN 0.5"
        "   WHEN split_part(command_key, ' ', 1) = ANY(%s) THEN 0.15 ELSE 0 END"
        " + ts_rank(%s, search_vector, %s::tsquery) * 0.5"
        " + CASE WHEN language = %s THEN 0.1 ELSE 0 END"
        " + popularity * 0.3"
        # Key bindings and bare placeholders ("<F>", "{{cmd}}") are not commands to look up.
        " + CASE WHEN command_key = '' THEN -1.0 ELSE 0.3 / (1 + command_len) END",
        [*terms, key, key, words, RANK_WEIGHTS, any_term, lang],
        output_field=FloatField(),
    )
    # Both halves have an index: the GIN on search_vector and the b-tree on command_key.
    hit = RawSQL(
        "(search_vector @@ %s::tsquery OR command_key = %s)", [any_term, key], output_field=BooleanField()
    )
    candidates = (
        qs.annotate(hit=hit)
        .filter(hit=True)
        .annotate(score=score)
        .select_related("note")
        .order_by("-score", "command_len", "pk")[: limit * 3]
    )
    # The same command from several pages (aliases, both languages) is one answer.
    seen: set[str] = set()
    out = []
    for entry in candidates:
        norm = " ".join(entry.command.split())
        if norm not in seen:
            seen.add(norm)
            out.append(entry)
    return out[:limit]
