"""The one tokenizer of kb: index terms and queries for Japanese, English and shell text.

PostgreSQL's parsers cannot split Japanese, so kb builds tsvector and tsquery text itself and
casts it (``'…'::tsvector``), so PostgreSQL never re-splits. Public API (kept stable, also
used by the ``lookup`` app):

``normalize(text) -> str``
    NFKC (full/half width), lower case, and katakana long-vowel folding: every ``ー`` that
    follows a katakana letter is dropped. Dropping all of them, not only a trailing one, also
    unifies middle variants (インタフェース / インターフェース, サーバ / サーバー); the rare
    collisions it makes (ビル / ビール) matter little in a technical wiki.

``document_terms(text) -> list[str]``
    Index terms in text order. CJK runs give overlapping bigrams plus the run's last character
    (so a one-character query can be a prefix query) and each whole katakana word marked
    with ``=`` (``=コンテナ``: ranks ログ above ブログ; it never collides). Other runs give the whole token
    (``-p``, ``--mount``, ``docker-compose.yml``, ``/var/lib/mysql``, ``8080:80``), its
    sub-words (docker, compose, yml, var, lib, mysql, 8080, 80) and a singular for plain
    English plurals (containers -> container).

``document_positions(text, start=1) -> list[tuple[str, int]]``
    The same terms with tsvector positions (sub-words of one token get consecutive positions,
    so ``docker <-> compose`` matches ``docker-compose``).

``to_tsvector_literal({"A": title, "B": tags_and_headings, "C": body, "D": code}) -> str``
    A weighted tsvector literal, safely quoted, to be cast with ``::tsvector``
    (= ``format_tsvector(weighted_positions(...))``, for callers that also want the lexemes).

``quote_lexeme(lexeme) -> str``
    A lexeme quoted for tsvector/tsquery input (quotes and backslashes escaped).

``parse_query(q, synonyms=None) -> Query`` lives in ``search.parse`` (the query side).

``highlight(text, query, width=160) -> str`` lives in ``search.highlight`` (same tokenizer).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006"
_HIRA = "\u3041-\u309f"
_KATA = KATA_CHARS = "\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff"
_HANGUL = "\uac00-\ud7af"
_CJK = _KANJI + _HIRA + _KATA + _HANGUL
# CJK punctuation, the middle dot and fullwidth forms NFKC keeps separate words.
_SEP = "\\s\u3000-\u3004\u3007-\u303f\u30fb\uff5f-\uff65\u2018-\u201f\u2026"

_RUN_RE = re.compile(f"([{_CJK}]+)|([^{_CJK}{_SEP}]+)")
_SUBWORD_RE = re.compile(r"[^\W_]+")
_KATA_WORD_RE = re.compile(f"[{_KATA}]{{2,}}")
KATAKANA_MARK = "="
_LONG_VOWEL_RE = re.compile(f"(?<=[{_KATA}])ー+")
_STEM_RE = re.compile(f"([{_KANJI}]+|[{_KATA}]+|[{_HANGUL}]+)([{_HIRA}]*)")
_EDGE = "\"'`()[]{}<>,;!?*|"
_TRAIL = _EDGE + ":.\\/="

_POSSESSIVE_RE = re.compile(r"(?<=[a-z])['\u2019]s$")

MAX_POSITION = 16383  # PostgreSQL clamps tsvector positions here
MAX_POSITIONS_PER_LEXEME = 255
MAX_TOKEN_CHARS = 200


def normalize(text: str) -> str:
    return _LONG_VOWEL_RE.sub("", _folded(text))


def _folded(text: str) -> str:
    """Width and case folded, as typed otherwise (long vowels kept: what people read)."""
    # NFKC leaves the typographic apostrophe alone; phones and word processors type it.
    return unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")


def _is_cjk(token: str) -> bool:
    return bool(token) and bool(re.match(f"[{_CJK}]", token[0]))


def singular(word: str) -> str | None:
    """A light English plural fold, applied to documents and queries alike."""
    if not word.isascii() or not word.isalpha() or len(word) < 4:
        return None
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return None


def _clean_token(token: str) -> str:
    token = token.strip(_EDGE)
    # "a container's logs" is about a container: the possessive is not part of the word.
    token = _POSSESSIVE_RE.sub("", token)
    stripped = token.rstrip(_TRAIL)
    return stripped if stripped else token


def _token_positions(token: str, pos: int) -> tuple[list[tuple[str, int]], int]:
    """Terms of one non-CJK token starting at ``pos``; returns them and the next position."""
    token = _clean_token(token)[:MAX_TOKEN_CHARS]
    subs = _SUBWORD_RE.findall(token)
    if not subs:
        return [], pos
    out: list[tuple[str, int]] = []
    if not (len(subs) == 1 and subs[0] == token):
        out.append((token, pos))
        if token.startswith("-") and "=" in token:
            out.append((token.split("=", 1)[0], pos))  # --mount=type=bind -> --mount
    for i, sub in enumerate(subs):
        out.append((sub, pos + i))
        one = singular(sub)
        if one:
            out.append((one, pos + i))
    return out, pos + len(subs)


def _cjk_positions(run: str, pos: int) -> tuple[list[tuple[str, int]], int]:
    out = [(run[i : i + 2], pos + i) for i in range(len(run) - 1)]
    out.append((run[-1], pos + len(run) - 1))
    # Whole katakana words too, so ranking can tell ログ from ブログ (see katakana_word).
    out.extend((katakana_word(m.group(0)), pos + m.start()) for m in _KATA_WORD_RE.finditer(run))
    return out, pos + len(run)


def katakana_word(word: str) -> str:
    """The lexeme of a whole katakana word; the mark keeps it apart from bigrams."""
    return KATAKANA_MARK + word


def document_positions(text: str, start: int = 1) -> list[tuple[str, int]]:
    """Terms of already-normalized or raw text with tsvector positions from ``start``."""
    out: list[tuple[str, int]] = []
    pos = start
    for m in _RUN_RE.finditer(normalize(text)):
        if m.group(1):
            terms, pos = _cjk_positions(m.group(1), pos)
        else:
            terms, pos = _token_positions(m.group(2), pos)
        out.extend(terms)
    return out


def document_terms(text: str) -> list[str]:
    return [term for term, _ in document_positions(text)]


def quote_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def to_tsvector_literal(weighted: Mapping[str, str | Iterable[str]]) -> str:
    """Build ``'lexeme':1A,7C …`` from sections keyed by weight A-D (A is the highest)."""
    return format_tsvector(weighted_positions(weighted))


def format_tsvector(positions: Mapping[str, list[str]]) -> str:
    return " ".join(f"{quote_lexeme(t)}:{','.join(p)}" for t, p in positions.items())


def weighted_positions(weighted: Mapping[str, str | Iterable[str]]) -> dict[str, list[str]]:
    """Lexeme -> tsvector positions such as ``["1A", "7C"]`` (see to_tsvector_literal)."""
    positions: dict[str, list[str]] = {}
    pos = 1
    for weight, texts in weighted.items():
        if weight not in "ABCD" or len(weight) != 1:
            raise ValueError(f"tsvector weight must be A, B, C or D, not {weight!r}")
        if isinstance(texts, str):
            texts = [texts]
        suffix = "" if weight == "D" else weight
        for text in texts:
            for term, p in document_positions(text, pos):
                pos = max(pos, p + 1)
                slots = positions.setdefault(term, [])
                if len(slots) < MAX_POSITIONS_PER_LEXEME:
                    slots.append(f"{min(p, MAX_POSITION)}{suffix}")
            pos += 1  # keep phrases from running across sections and headings
    return positions
