"""Snippets with query hits wrapped in <mark>, found with kb's own tokenizer.

PostgreSQL's ts_headline does not know kb's bigrams, so snippets are built here: the text is
normalized character by character (keeping a map back to the original), hits are found as
CJK substrings and as whole tokens or sub-words, and the best window is cut out. Everything
outside the <mark> tags is HTML-escaped, so the result is safe to render.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable

from search.parse import Query
from search.tokenize import _CJK, _LONG_VOWEL_RE, _SUBWORD_RE, KATA_CHARS, _is_cjk

MAX_CHARS = 3000  # snippets come from the start of long notes; keeps search pages fast
_EDGE = re.escape("\"'`()[]{}<>,;!?*|")
_CLUSTER = re.compile("(?s).[\uff9e\uff9f\u3099\u309a\u0300-\u036f]*")
_KATA = re.compile(f"[{KATA_CHARS}]")
# A letter of a non-CJK word: the tokenizer ends words where a CJK run begins (Dockerコンテナ).
# Words are matched in a copy of the text whose CJK characters are spaces, so the pattern's
# class stays small: a class with the CJK ranges costs 1.5 ms to compile at each of its uses,
# and one query's pattern used it a dozen times.
_WORD_CHAR = r"[^\W_]"
_CJK_CHAR = re.compile(f"[{_CJK}]")


SpanMap = Callable[[int, int], tuple[int, int]]


def _normalize_with_map(text: str) -> tuple[str, SpanMap]:
    """Normalize like ``tokenize.normalize``; return it and a map of spans back to ``text``."""
    folded = unicodedata.normalize("NFKC", text).lower()
    if len(folded) != len(text):
        norm, starts, ends = _slow_normalize_with_map(text)
        return norm, lambda s, e: (starts[s], ends[e - 1])
    # Fast path (nearly all text): NFKC and lower() kept one char per char, so only the
    # folded long-vowel runs shift positions. marks[k]: where run k was cut, in norm positions.
    marks: list[int] = []
    shift: list[int] = []  # chars removed up to and including run k
    removed = 0
    for m in _LONG_VOWEL_RE.finditer(folded):
        marks.append(m.start() - removed)
        removed += m.end() - m.start()
        shift.append(removed)

    def to_text(s: int, e: int) -> tuple[int, int]:
        k = bisect_right(marks, s)
        start = s + (shift[k - 1] if k else 0)
        k = bisect_right(marks, e)  # a run cut at e belongs to the last char: include it
        return start, e + (shift[k - 1] if k else 0)

    return (_LONG_VOWEL_RE.sub("", folded) if marks else folded), to_text


def _slow_normalize_with_map(text: str) -> tuple[str, list[int], list[int]]:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    # Clusters: a character with the (half-width) voiced marks or combining marks after it.
    for m in _CLUSTER.finditer(text):
        for n in unicodedata.normalize("NFKC", m.group(0)).lower():
            if n == "ー" and out and _KATA.match(out[-1]):
                ends[-1] = m.end()  # long-vowel folding: the mark joins the letter before
                continue
            out.append(n)
            starts.append(m.start())
            ends.append(m.end())
    return "".join(out), starts, ends


def _word_patterns(query: Query) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Regexes for the query's non-CJK words: whole words, sub-words, plurals and prefixes
    (matched where CJK is blanked out), and code tokens (matched in the text as it is)."""
    words = sorted((w for w in query.highlights if not _is_cjk(w)), key=len, reverse=True)
    alts, code = [], []
    for w in words:
        if _SUBWORD_RE.fullmatch(w):
            plural = "(?:s|es)?" if w.isascii() and w.isalpha() else ""
            alts.append(rf"(?<!{_WORD_CHAR}){re.escape(w)}{plural}(?!{_WORD_CHAR})")
        else:  # a code token such as -p, 8080:80 or /var/lib/mysql
            code.append(rf"(?<![^\s{_EDGE}]){re.escape(w)}(?![^\s{_EDGE}.:])")
    # Prefixes are ASCII words being typed: they go on in ASCII letters, never into kana.
    prefixes = sorted(query.prefixes, key=len, reverse=True)
    alts += [rf"(?<!{_WORD_CHAR}){re.escape(p)}[a-z0-9]*" for p in prefixes]
    return (re.compile("|".join(alts)) if alts else None, re.compile("|".join(code)) if code else None)


# Kana after a kanji stem, up to the first particle: the word's own ending (okurigana).
_OKURIGANA = re.compile(
    "(?![をがはのへでにともやな])[\u3041-\u309f]+?(?=[をがはのへでにともやな]|[^\u3041-\u309f]|$)"
)
_KANJI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


def _tails(query: Query) -> dict[str, list[str]]:
    """The kana a stem was typed with: 小 of 小さくする has さくする, 見出 of 見出し has し."""
    typed = unicodedata.normalize("NFKC", query.raw).lower()
    tails: dict[str, list[str]] = {}
    for needle in query.highlights:
        start = typed.find(needle) if _KANJI.match(needle[-1:]) else -1
        while start >= 0:
            kana = _OKURIGANA.match(typed, start + len(needle))
            if kana:
                tails.setdefault(needle, []).append(kana.group())
            start = typed.find(needle, start + 1)
    return tails


def _with_tail(norm: str, end: int, tails: list[str]) -> int:
    """Extend a stem's hit over the kana typed after it, as far as the text agrees: 小さく in
    小さくなる, 小さ in 小さいほど, so the mark covers the word and not its first character."""
    best = end
    for tail in tails:
        k = 0
        while k < len(tail) and end + k < len(norm) and norm[end + k] == tail[k]:
            k += 1
        best = max(best, end + k)
    return best


def _spans(norm: str, query: Query) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    tails = _tails(query)
    for needle in (w for w in query.highlights if _is_cjk(w)):
        hits: list[tuple[int, int, bool]] = []  # (start, end, inside a longer katakana word)
        start = norm.find(needle)
        while start >= 0:
            end = start + len(needle)
            inside = bool(
                _KATA.match(needle[0])
                and ((start and _KATA.match(norm[start - 1])) or (end < len(norm) and _KATA.match(norm[end])))
            )
            hits.append((start, end, inside))
            start = norm.find(needle, end)
        # A katakana word found on its own is the word asked for: ログ, not the ログ of ログイン
        # beside it. Found only inside longer words (ログファイル), it is marked there. One
        # katakana letter (キー folds to キ) is a word only on its own: not the キ of キャッシュ.
        alone = (len(needle) == 1 and _KATA.match(needle)) or any(not inside for _, _, inside in hits)
        for start, end, inside in hits:
            if not (alone and inside):
                spans.append((start, _with_tail(norm, end, tails.get(needle, []))))
    words, code = _word_patterns(query)
    blanked = _CJK_CHAR.sub(" ", norm) if words or code else norm  # one character for one
    found_code: list[tuple[int, int]] = []
    if code:
        # In the blanked copy too: 「HOSTを0.0.0.0に」 has the token between kana.
        found_code = sorted({m.span() for text in (norm, blanked) for m in code.finditer(text)})
        spans.extend(found_code)
    if words:
        word_spans = [m.span() for m in words.finditer(blanked)]
        if found_code:
            # The parts of a code token the text has whole (the 0s of 0.0.0.0) are not marked
            # elsewhere: 127.0.0.1 with two 0s marked says nothing about 0.0.0.0.
            tokens = {norm[a:b] for a, b in found_code}
            word_spans = [
                (a, b)
                for a, b in word_spans
                if any(a >= ca and b <= cb for ca, cb in found_code)
                or not any(norm[a:b] in token and norm[a:b] != token for token in tokens)
            ]
        spans.extend(word_spans)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def highlight(text: str, query: Query, width: int = 160) -> str:
    """Return an HTML-safe snippet of about ``width`` characters with hits in <mark>."""
    text = " ".join(text[:MAX_CHARS].split())
    norm, to_text = _normalize_with_map(text)
    spans = [to_text(s, e) for s, e in _spans(norm, query)]
    start, end = 0, len(text)
    if len(text) > width:
        # The window with the most different hits, then the most marked text: the sentence
        # with 0.0.0.0 itself, not 127.0.0.1 with two of its 0s marked.
        best, start = (-1, -1), 0
        for s, _ in spans:
            lo = max(0, s - width // 5)
            inside = [text[a:b].lower() for a, b in spans if a >= lo and b <= lo + width]
            score = (len(set(inside)), sum(map(len, inside)))
            if score > best:
                best, start = score, lo
        end = min(len(text), start + width)
        start = max(0, min(start, end - width))
    out = ["…" if start > 0 else ""]
    pos = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    out.append("…" if end < len(text) else "")
    return "".join(out)
