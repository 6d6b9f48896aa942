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

from search.tokenize import (
    _RUN_RE,
    _SUBWORD_RE,
    Query,
    _clean_token,
    _is_cjk,
    singular,
)

_CLUSTER = re.compile("(?s).[\uff9e\uff9f\u3099\u309a\u0300-\u036f]*")
_KATA = re.compile("[\u30a1-\u30fa\u30fd-\u30ff\u31f0-\u31ff]")


def _normalize_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """Normalize like ``tokenize.normalize``; map each output char to its source span."""
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


def _spans(norm: str, query: Query) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    words = {w for w in query.highlights if not _is_cjk(w)}
    for needle in (w for w in query.highlights if _is_cjk(w)):
        start = norm.find(needle)
        while start >= 0:
            spans.append((start, start + len(needle)))
            start = norm.find(needle, start + len(needle))
    prefixes = tuple(query.prefixes)
    for m in _RUN_RE.finditer(norm):
        if not m.group(2):
            continue
        token = _clean_token(m.group(2))
        offset = m.start(2) + m.group(2).find(token)
        if token in words:
            spans.append((offset, offset + len(token)))
            continue
        for sub in _SUBWORD_RE.finditer(token):
            word = sub.group(0)
            if word in words or singular(word) in words or (prefixes and word.startswith(prefixes)):
                spans.append((offset + sub.start(), offset + sub.end()))
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
    text = " ".join(text.split())
    norm, starts, ends = _normalize_with_map(text)
    spans = [(starts[s], ends[e - 1]) for s, e in _spans(norm, query)]
    start, end = 0, len(text)
    if len(text) > width:
        best, start = -1, 0
        for s, _ in spans:
            lo = max(0, s - width // 5)
            count = sum(1 for a, b in spans if a >= lo and b <= lo + width)
            if count > best:
                best, start = count, lo
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
