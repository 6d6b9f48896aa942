"""What a user types, parsed into query terms and tsquery text for kb's own index.

``parse_query(q, synonyms=None) -> Query``
    Drops particles and intent words (を, したい, する方法, how to …) and trailing hiragana
    (削除したい -> 削除, 軽くする -> ``'軽':*``), joins the bigrams of one word with ``<->``,
    keeps "quoted phrases" as phrases and expands synonym groups with ``|``.
    ``Query.tsquery()`` gives the tsquery text (terms AND'ed; ``mode="or"`` OR's them);
    ``Query.with_alternatives({surface: [words]})`` adds typo fixes; ``Query.suggestion(...)``
    builds a "did you mean" string.

Terms are built to match what search.tokenize writes into the index.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from search.tokenize import (
    _HIRA,
    _KANJI,
    _KATA_WORD_RE,
    _RUN_RE,
    _STEM_RE,
    _SUBWORD_RE,
    _clean_token,
    _folded,
    _is_cjk,
    document_positions,
    katakana_word,
    normalize,
    quote_lexeme,
    singular,
)

# Intent words and particles that say nothing about the topic.
_INTENT_JA = sorted(
    """する方法 のやり方 やり方 の仕方 仕方 方法 したい したら するには する時 するとき
    について とは って何 ってなに ですか ますか ません 教えて 知りたい 分からない わからない
    できない できる しない ください どうやって どうする なに 何""".split(),
    key=len,
    reverse=True,
)
_INTENT_JA_RE = re.compile("|".join(map(re.escape, _INTENT_JA)))
_WAY_OF_RE = re.compile(f"(?<=[{_HIRA}])方")
_STOP_HIRA = frozenset("を が は に で の と へ も や か から まで より など って".split())
STOP_WORDS_EN = frozenset(
    """a an the to of in on for with and or how do does i can what is are my me
    want way use using into from by it be should via""".split()
)


@dataclass(frozen=True)
class Term:
    """One query word: its alternatives are OR'ed, terms are AND'ed."""

    surface: str  # normalized text the user typed, e.g. "削除" or "dokcer"
    alternatives: tuple[str, ...]  # tsquery fragments
    highlights: frozenset[str] = frozenset()  # normalized strings to <mark>
    prefixes: frozenset[str] = frozenset()  # word prefixes to <mark>
    typo_candidate: bool = False  # a plain word that may be misspelled

    def tsquery(self) -> str:
        alts = list(dict.fromkeys(self.alternatives))
        return alts[0] if len(alts) == 1 else "(" + " | ".join(alts) + ")"


@dataclass(frozen=True)
class Query:
    raw: str
    terms: tuple[Term, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def tsquery(self, mode: str = "and") -> str:
        joiner = " & " if mode == "and" else " | "
        return joiner.join(t.tsquery() for t in self.terms)

    @property
    def highlights(self) -> frozenset[str]:
        return frozenset().union(*(t.highlights for t in self.terms))

    @property
    def prefixes(self) -> frozenset[str]:
        return frozenset().union(*(t.prefixes for t in self.terms))

    def with_alternatives(self, extra: Mapping[str, Iterable[str]]) -> Query:
        """Add words (e.g. typo fixes) as alternatives of the terms with that surface."""
        terms = []
        for t in self.terms:
            words = [w for w in extra.get(t.surface, ()) if w != t.surface]
            if words:
                frags = tuple(_word_fragment(w) for w in words)
                t = replace(
                    t,
                    alternatives=t.alternatives + frags,
                    highlights=t.highlights | set(words),
                )
            terms.append(t)
        return replace(self, terms=tuple(terms))

    def suggestion(self, fixes: Mapping[str, str]) -> str:
        """The query text with misspelled words replaced ("did you mean")."""
        out = _folded(self.raw)  # "dokcer サーバー" → "docker サーバー", not "docker サバ"
        for wrong, right in fixes.items():
            out = re.sub(rf"(?<![^\W_]){re.escape(wrong)}(?![^\W_])", right, out)
        return out


def _phrase(text: str) -> str:
    """A tsquery phrase matching ``text`` as the document side indexes it."""
    runs = [m.group(1) or m.group(2) for m in _RUN_RE.finditer(normalize(text))]
    if len(runs) == 1 and _is_cjk(runs[0]) and len(runs[0]) == 1:
        return quote_lexeme(runs[0]) + ":*"
    items: list[tuple[int, str]] = []
    pos = 1
    for run in runs:
        if _is_cjk(run):
            # Bigrams only: the run's last character is covered by its last bigram.
            units = [run[i : i + 2] for i in range(len(run) - 1)] or [run]
            step = len(run)
        else:
            units = _SUBWORD_RE.findall(_clean_token(run))
            step = len(units)
        items.extend((pos + i, u) for i, u in enumerate(units))
        pos += step
    if not items:
        return ""
    out = quote_lexeme(items[0][1])
    for (prev, _), (cur, term) in itertools.pairwise(items):
        gap = cur - prev
        out += (" <-> " if gap == 1 else f" <{gap}> ") + quote_lexeme(term)
    return out if len(items) == 1 else "(" + out + ")"


def _cjk_stem_fragment(stem: str) -> str:
    if len(stem) == 1:
        return quote_lexeme(stem) + ":*"
    if len(stem) >= 4 and re.fullmatch(f"[{_KANJI}]+", stem):
        # Long kanji compounds are often typed without the particles the note has
        # (画像削除 vs 画像を削除): require the pairs, not their adjacency.
        parts = [stem[i : i + 2] for i in range(0, len(stem) - 1, 2)]
        if len(stem) % 2:
            parts[-1] = stem[-3:]
        return "(" + " & ".join(_phrase(p) for p in parts) + ")"
    if _KATA_WORD_RE.fullmatch(stem):
        # Matches like the phrase alone; the whole word ranks ログ above ブログ.
        return "(" + _phrase(stem) + " | " + quote_lexeme(katakana_word(stem)) + ")"
    return _phrase(stem)


_KATAKANA_EITHER_RE = re.compile(r"\((\([^()]*\)|'[^']*') \| ('=[^']*')\)")


def whole_words(tsquery: str) -> str:
    """The tsquery with each katakana word matching only as a whole word (ログ, not ログイン)."""
    return _KATAKANA_EITHER_RE.sub(r"\2", tsquery)


def _word_fragment(word: str) -> str:
    """A fragment for a word given as text (synonym members, typo fixes)."""
    norm = normalize(word).strip()
    if _is_cjk(norm):
        stems = cjk_stems(norm)
        if len(stems) == 1 and len(stems[0][0]) >= 2:
            return _cjk_stem_fragment(stems[0][0])
        return _phrase(norm)
    single = singular(norm)
    return quote_lexeme(single) if single else _phrase(norm)


def cjk_stems(run: str) -> list[tuple[str, bool]]:
    """Content stems of a normalized CJK query run: (stem, had_trailing_hiragana)."""
    run = _INTENT_JA_RE.sub(" ", run)
    run = _WAY_OF_RE.sub(" ", run)  # 書き方, 使い方: "the way of doing", not a topic
    stems: list[tuple[str, bool]] = []
    for chunk in run.split():
        found = False
        for m in _STEM_RE.finditer(chunk):
            found = True
            stems.append((m.group(1), bool(m.group(2))))
        if not found and len(chunk) >= 2 and chunk not in _STOP_HIRA:
            stems.append((chunk, False))  # a word written in hiragana only
    return stems


def _synonym_key(word: str) -> str:
    norm = normalize(word).strip()
    if _is_cjk(norm):
        stems = cjk_stems(norm)
        return stems[0][0] if len(stems) == 1 else norm
    return singular(norm) or norm


# The last groups list seen and its map: search.synonyms.groups() hands out the same list
# until the groups change, and building the map from ~600 learnt pairs took longer than the
# rest of parsing a query.
_last_map: tuple[object, dict[str, list[str]]] | None = None


def _synonym_map(groups: Iterable[Iterable[str]] | None) -> dict[str, list[str]]:
    global _last_map
    last = _last_map
    if last is not None and last[0] is groups:
        return last[1]
    out = _build_synonym_map(groups)
    if isinstance(groups, list):
        _last_map = (groups, out)
    return out


def _build_synonym_map(groups: Iterable[Iterable[str]] | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for group in groups or ():
        members = [normalize(w).strip() for w in group if w.strip()]
        for w in members:
            out.setdefault(_synonym_key(w), []).extend(m for m in members if m != w)
    return out


def _expand(term: Term, synonyms: dict[str, list[str]]) -> Term:
    others = synonyms.get(_synonym_key(term.surface), [])
    if not others:
        return term
    highlights = set(term.highlights)
    for w in others:
        key = _synonym_key(w)
        # Mark what the fragment matches: the stem (破棄), or the whole word when the stem is
        # one character (消す, not every 消).
        highlights.add(w if not _is_cjk(w) or len(key) < 2 else key)
    return replace(
        term,
        alternatives=term.alternatives + tuple(_word_fragment(w) for w in others),
        highlights=frozenset(highlights),
    )


_QUERY_RE = re.compile(r'"([^"]*)"?|(\S+)')


def parse_query(q: str, synonyms: Iterable[Iterable[str]] | None = None) -> Query:
    """Parse what a person typed into AND'ed terms with OR'ed alternatives."""
    syn = _synonym_map(synonyms)
    terms: list[Term] = []
    words: list[Term] = []
    norm = normalize(q)
    parts = list(_QUERY_RE.finditer(norm))
    for part in parts:
        if part.group(1) is not None:
            frag = _phrase(part.group(1))
            if frag:
                hl = {t for t, _ in document_positions(part.group(1)) if not _is_cjk(t)}
                hl |= {r.group(1) for r in _RUN_RE.finditer(part.group(1)) if r.group(1)}
                terms.append(Term(part.group(1).strip(), (frag,), frozenset(hl)))
            continue
        for run in _RUN_RE.finditer(part.group(2)):
            if run.group(1):
                for stem, _ in cjk_stems(run.group(1)):
                    frag = _cjk_stem_fragment(stem)
                    split = len(stem) >= 4 and re.fullmatch(f"[{_KANJI}]+", stem)
                    hl = frozenset([stem, *re.findall("..", stem)] if split else [stem])
                    terms.append(_expand(Term(stem, (frag,), hl), syn))
                continue
            token = _clean_token(run.group(2))
            subs = _SUBWORD_RE.findall(token)
            if not subs:
                continue
            if len(subs) == 1 and subs[0] == token:
                single = singular(token)
                term = Term(
                    token,
                    (quote_lexeme(single or token),),
                    frozenset([token] + ([single] if single else [])),
                    typo_candidate=token.isascii() and token.isalpha() and len(token) >= 4,
                )
                words.append(term)
                terms.append(_expand(term, syn))
                continue
            alts = [quote_lexeme(token)]
            if not (len(subs) == 1 and token.startswith("-")):
                alts.append(_phrase(" ".join(subs)))
            terms.append(_expand(Term(token, tuple(alts), frozenset([token, *subs])), syn))
    if terms and not norm.endswith((" ", '"')):
        last = terms[-1]
        # Results appear while typing: the last plain word also matches as a prefix.
        if last in words and len(last.surface) >= 3 and last.surface.isascii():
            stem = singular(last.surface) or last.surface
            terms[-1] = replace(
                last,
                alternatives=(quote_lexeme(stem) + ":*",),
                prefixes=frozenset([stem]),
            )
    content = [t for t in terms if t.surface not in STOP_WORDS_EN]
    return Query(q, tuple(content or terms))
