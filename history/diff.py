"""Readable diffs for notes, Japanese included.

Lines are compared first; inside a changed block the old and new text are
compared again token by token, where a token is a run of Latin letters and
digits, a run of spaces, or one single character of anything else. Japanese
has no spaces between words, so this marks the changed characters or phrase
(「削除する」→「破棄する」 shows 削除 → 破棄) instead of the whole line.

The result is plain data (text, changed?) that templates escape as usual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

TOKEN_RE = re.compile(r"[A-Za-z0-9_]+|[ \t]+|\n|.", re.S)
# Above this many token comparisons a changed block is marked line by line:
# SequenceMatcher is quadratic and a diff page must stay quick.
MAX_INLINE_WORK = 4_000_000
CONTEXT = 3

Segment = tuple[str, bool]  # (text, changed)


@dataclass
class Line:
    kind: str  # "same", "del", "ins" or "skip" (unchanged lines left out)
    segments: list[Segment] = field(default_factory=list)
    old_no: int | None = None
    new_no: int | None = None
    skipped: int = 0


@dataclass
class Diff:
    lines: list[Line]
    added: int
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def _split_lines(segments: list[Segment]) -> list[list[Segment]]:
    lines: list[list[Segment]] = [[]]
    for text, changed in segments:
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if part:
                lines[-1].append((part, changed))
    return lines


def _inline(old: list[str], new: list[str]) -> tuple[list[list[Segment]], list[list[Segment]]]:
    """Mark the changed tokens of a replaced block; returns old and new lines."""
    a, b = "\n".join(old), "\n".join(new)
    ta, tb = tokens(a), tokens(b)
    if len(ta) * len(tb) > MAX_INLINE_WORK:
        return [[(line, True)] for line in old], [[(line, True)] for line in new]
    old_segs: list[Segment] = []
    new_segs: list[Segment] = []
    matcher = SequenceMatcher(None, ta, tb, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            old_segs.append(("".join(ta[i1:i2]), False))
            new_segs.append(("".join(tb[j1:j2]), False))
        else:
            if i2 > i1:
                old_segs.append(("".join(ta[i1:i2]), True))
            if j2 > j1:
                new_segs.append(("".join(tb[j1:j2]), True))
    return _split_lines(old_segs), _split_lines(new_segs)


def _lines(text: str) -> list[str]:
    """The text's lines: none for "", and no empty line after a final newline (which
    showed as an unchanged line 1 → 3 in the diff from nothing to a first version)."""
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def diff(old_text: str, new_text: str, context: int = CONTEXT) -> Diff:
    old, new = _lines(old_text), _lines(new_text)
    out: list[Line] = []
    added = removed = 0
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    opcodes = matcher.get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            # Keep a few lines after the change before and before the change after.
            count = i2 - i1
            keep_head = context if n > 0 else 0
            keep_tail = context if n < len(opcodes) - 1 else 0
            if count > keep_head + keep_tail + 1:
                for k in range(keep_head):
                    out.append(Line("same", [(old[i1 + k], False)], i1 + k + 1, j1 + k + 1))
                out.append(Line("skip", skipped=count - keep_head - keep_tail))
                start = i2 - keep_tail
            else:
                start = i1
            for i in range(start, i2):
                j = j1 + (i - i1)
                out.append(Line("same", [(old[i], False)], i + 1, j + 1))
            continue
        removed += i2 - i1
        added += j2 - j1
        if op == "replace":
            old_lines, new_lines = _inline(old[i1:i2], new[j1:j2])
        else:
            old_lines = [[(line, True)] for line in old[i1:i2]]
            new_lines = [[(line, True)] for line in new[j1:j2]]
        for k, segments in enumerate(old_lines):
            out.append(Line("del", segments, old_no=i1 + k + 1))
        for k, segments in enumerate(new_lines):
            out.append(Line("ins", segments, new_no=j1 + k + 1))
    # A diff with no change at all shows nothing rather than the whole note.
    if not added and not removed:
        out = []
    return Diff(out, added, removed)
