"""Split a note into the passages that are embedded: one per heading section.

A long note is many topics; one vector for all of it blurs them. Each chunk carries the
note's title in front, so a section titled "手順" still says what it is about. Markdown
markup is dropped where it only adds noise for the model (fences, link targets, emphasis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# About a paragraph: sentence encoders (USE) average their words, so a long passage blurs;
# a note has few enough paragraphs that one vector each is cheap.
MAX_CHARS = 300
REFERENCE_CHARS = 300
MAX_CHUNKS = 40  # a huge note is still searchable by its first sections

_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# The link text may not run past the next bracket: "[" * 20,000 on one line made every start
# scan to the end of it, and the worker spent 2 s on the note (19 minutes at 500k).
_LINK_RE = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")
# Emphasis marks at a word's edge, quote marks and task boxes. Code spans are kept whole
# (group 1), and so are marks inside a word: SECRET_KEY, /var/* and node_modules are text.
_NOISE_RE = re.compile(
    r"(`+[^`\n]*`+)|(?<![\w*])[*_]{1,3}(?=\w)|(?<=\w)[*_]{1,3}(?![\w*])|^>\s?|^\s*[-*+]\s+\[[ xX]\]\s*",
    re.M,
)
_MORE_INFO_RE = re.compile(r"^>\s*(More information|See also|詳しくは|詳細情報|参照)\s*[:：]")
_TLDR_PLACEHOLDER_RE = re.compile(r"\{\{(?:\[([^\]|]*)[^\]]*\]|([^}]*))\}\}")


@dataclass(frozen=True)
class Chunk:
    position: int
    heading: str
    text: str


def plain(markdown: str) -> str:
    """Markdown as the words a reader sees (enough for an embedding, not for display)."""
    out = []
    for line in markdown.splitlines():
        if _FENCE_RE.match(line) or _MORE_INFO_RE.match(line):
            continue
        out.append(line)
    text = "\n".join(out)
    text = _LINK_RE.sub(r"\1", text)
    text = _TLDR_PLACEHOLDER_RE.sub(lambda m: m.group(1) or m.group(2) or "", text)
    text = _NOISE_RE.sub(lambda m: m.group(1) or "", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _sections(body: str) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = [("", [])]
    fence = ""
    for line in body.splitlines():
        opener = _FENCE_RE.match(line)
        if fence:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = ""
        elif opener:
            fence = opener.group(1)
        elif (m := _HEADING_RE.match(line)) and len(m.group(1)) <= 3:
            sections.append((m.group(2).strip(), []))
            continue
        sections[-1][1].append(line)
    return sections


def _pieces(text: str) -> list[str]:
    """Cut a long section at paragraph breaks (or hard, for one huge paragraph)."""
    if len(text) <= MAX_CHARS:
        return [text]
    pieces, current = [], ""
    for para in re.split(r"\n\s*\n", text):
        while len(para) > MAX_CHARS:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(para[:MAX_CHARS])
            para = para[MAX_CHARS:]
        if current and len(current) + len(para) + 2 > MAX_CHARS:
            pieces.append(current)
            current = ""
        current = f"{current}\n\n{para}" if current else para
    if current:
        pieces.append(current)
    return pieces


def chunk_note(title: str, body: str, reference: bool = False) -> list[Chunk]:
    """The note's passages, in order; a note with no text still gets its title.

    A reference page (tldr) is one short passage, its name and description: each of its
    examples is embedded on its own as a lookup entry, and search counts those too.
    """
    if reference:
        about = [line for line in body.splitlines() if line.startswith(">") and not _MORE_INFO_RE.match(line)]
        text = plain("\n".join(about)) if about else plain(body)[:REFERENCE_CHARS]
        return [Chunk(0, "", f"{title}\n{text}"[:REFERENCE_CHARS].strip())]
    chunks: list[Chunk] = []
    for heading, lines in _sections(body):
        if heading.strip() == title.strip() and not chunks:
            heading = ""  # tldr pages and imports repeat the title as "# title"
        text = plain("\n".join(lines))
        if not text and not heading:
            continue
        for piece in _pieces(text) if text else [""]:
            head = f"{title}\n{heading}" if heading else title
            chunks.append(Chunk(len(chunks), heading, f"{head}\n{piece}".strip()))
            if len(chunks) >= MAX_CHUNKS:
                return chunks
    return chunks or [Chunk(0, "", title)]
