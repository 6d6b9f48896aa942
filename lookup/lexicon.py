"""A bilingual word list learnt from tldr pages that exist in both languages.

tldr's Japanese pages are translations: the same examples, in the same order, with the
same commands. Aligning each Japanese example with its English twin gives a few thousand
sentence pairs, and words that keep turning up together across pairs translate each other
("シンボリックリンク" with "symbolic" and "link", "削除" with "delete" and "remove").
Those pairs become query alternatives (search.synonyms), so a Japanese task finds the
English-only pages of the other 6,000 commands, and an English question finds Japanese notes.

The association is the Dice coefficient over pairs, kept only for words seen together
often enough, and only a word's best few counterparts.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import transaction

from search.parse import STOP_WORDS_EN, parse_query
from search.tokenize import normalize, singular

log = logging.getLogger(__name__)

MIN_TOGETHER = 2  # aligned pairs a word pair must share
# Fewer aligned examples than this say more about the few pages than about the languages: 25
# docker pages (108 examples) gave 構築 → docker and 名 → substring, and a QA import of 32
# pages コンテナ → start and stop. All of tldr aligns 1,678.
MIN_EXAMPLES = 500
MIN_DICE = 0.25
PER_WORD = 3  # counterparts kept per word
_PLACEHOLDER_RE = re.compile(r"\{\{.*?\}\}")
_ASCII_RE = re.compile(r"^[a-z][a-z0-9+-]*$")
_KANJI_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]$")
# English words too general to stand for anything on their own.
_GENERIC_EN = frozenset("specific given file files directory path all one two more some new current".split())


def _ja_words(task: str) -> set[str]:
    # One kanji is a verb stem (作りたい → 作); kana alone is grammar.
    return {
        t.surface
        for t in parse_query(task).terms
        if not t.surface.isascii() and (len(t.surface) >= 2 or _KANJI_RE.match(t.surface))
    }


def _en_words(task: str) -> set[str]:
    out = set()
    for t in parse_query(task).terms:
        w = singular(t.surface) or t.surface
        if _ASCII_RE.match(w) and w not in STOP_WORDS_EN and w not in _GENERIC_EN and len(w) >= 3:
            out.add(w)
    return out


def _shape(command: str) -> str:
    """A command with its placeholders blanked: translated pages keep the same shape."""
    return " ".join(_PLACEHOLDER_RE.sub("_", normalize(command)).split())


def align(ja: list[tuple[str, str]], en: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pair (task, command) examples of one page's two versions: by command shape, else by order."""
    by_shape: dict[str, list[str]] = defaultdict(list)
    for task, command in en:
        by_shape[_shape(command)].append(task)
    pairs = []
    for task, command in ja:
        twins = by_shape.get(_shape(command), [])
        if len(twins) == 1:
            pairs.append((task, twins[0]))
    if not pairs and len(ja) == len(en):
        pairs = [(j[0], e[0]) for j, e in zip(ja, en, strict=True)]
    return pairs


def mine(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str, float]]:
    """(Japanese word, English word, Dice) for words that translate each other."""
    together: Counter[tuple[str, str]] = Counter()
    seen_ja: Counter[str] = Counter()
    seen_en: Counter[str] = Counter()
    for ja_task, en_task in pairs:
        jw, ew = _ja_words(ja_task), _en_words(en_task)
        seen_ja.update(jw)
        seen_en.update(ew)
        together.update((j, e) for j in jw for e in ew)
    scores: dict[tuple[str, str], float] = {}
    for (j, e), n in together.items():
        if n >= MIN_TOGETHER:
            dice = 2 * n / (seen_ja[j] + seen_en[e])
            if dice >= MIN_DICE:
                scores[(j, e)] = dice
    # Keep a pair only when each word is among the other's best few counterparts: a common
    # word ("file") that co-occurs with everything is nobody's best.
    top_ja = _best_of(scores, side=0)
    top_en = _best_of(scores, side=1)
    return sorted((j, e, round(d, 3)) for (j, e), d in scores.items() if e in top_ja[j] and j in top_en[e])


def _best_of(scores: dict[tuple[str, str], float], side: int) -> dict[str, set[str]]:
    options: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for pair, dice in scores.items():
        options[pair[side]].append((dice, pair[1 - side]))
    return {w: {o for _, o in sorted(opts, reverse=True)[:PER_WORD]} for w, opts in options.items()}


def learn() -> int:
    """Rebuild search.Translation from the imported tldr pages; returns the pairs kept."""
    from lookup.indexing import TLDR_KEY_PREFIX
    from lookup.models import Entry
    from search.models import Translation

    pages: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    rows = (
        Entry.objects.filter(origin=Entry.Origin.TLDR, note__import_key__startswith=TLDR_KEY_PREFIX)
        .order_by("note_id", "position")
        .values_list("note__import_key", "tasks", "command")
    )
    for key, tasks, command in rows.iterator(chunk_size=5000):
        lang, _, page = key.removeprefix(TLDR_KEY_PREFIX).partition("/")
        pages[(lang, page)].append((tasks[0], command))
    pairs = []
    for (lang, page), ja in pages.items():
        if lang == "ja" and (en := pages.get(("en", page))):
            pairs.extend(align(ja, en))
    found = mine(pairs) if len(pairs) >= MIN_EXAMPLES else []
    log.info("learnt %d word pairs from %d aligned examples", len(found), len(pairs))
    with transaction.atomic():
        Translation.objects.all().delete()
        Translation.objects.bulk_create([Translation(word=j, translation=e, score=s) for j, e, s in found])
    from search import synonyms

    synonyms.clear()
    return len(found)
