"""Placeholders in command templates.

Three notations are in use and all of them end up as the same segments:

- tldr: ``{{path/to/file}}``; ``{{[-v|--verbose]}}`` is a choice between
  spellings of one option, not a value to type.
- navi: ``<container_id>``.
- Japanese notes: ``[コンテナ名]``, ``<イメージ名>`` and bare ``ボリューム名``.

Angle and square brackets are also shell syntax (``< in > out``, ``<<EOF``,
``[ -f x ]``, globs like ``[a-z]``), so they only count when the content looks
like a name. When in doubt we leave text literal: a missed field is harmless,
a mangled command is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f々ー"

# A name inside <> or []: Japanese words (maybe with ASCII bits such as "ID"),
# snake/kebab-case words, or SHOUTING_CASE.
_CJK_NAME = rf"[{CJK}][{CJK}A-Za-z0-9_・/\-]*|[A-Za-z0-9_]+[{CJK}][{CJK}A-Za-z0-9_・/\-]*"
_ANGLE_NAME = rf"(?:{_CJK_NAME}|[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)"
# Square brackets are globs and test brackets more often than names, so a
# plain lowercase word is not enough there: it must be joined with _ or -.
_SQUARE_NAME = rf"(?:{_CJK_NAME}|[a-z][a-z0-9]+(?:[_-][a-z0-9]{{2,}})+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"

_TOKEN_RE = re.compile(
    r"(?P<tldr>\{\{(?P<tldr_body>.+?)\}\}(?!\}))"
    # not part of <<EOF, 2<&1, <(...) or a redirection followed by a word
    rf"|(?P<angle>(?<![<\w&])<(?P<angle_body>{_ANGLE_NAME})>(?![>\w]))"
    rf"|(?P<square>(?<![\w\[])\[(?P<square_body>{_SQUARE_NAME})\](?![\w\]]))"
    # a bare Japanese word inside a command (`docker volume inspect ボリューム名`)
    rf"|(?P<bare>(?<![\w{CJK}])[{CJK}][{CJK}A-Za-z0-9_・]*(?![\w{CJK}]))"
)
_KEY_WORD_RE = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")
_CHOICE_RE = re.compile(r"^\[([^\[\]]*\|[^\[\]]*)\]$")


@dataclass(frozen=True)
class Segment:
    """One piece of a template: literal text, a field to type, or a choice."""

    kind: str  # "text" | "field" | "choice"
    text: str  # literal text; the field's label; the default choice
    raw: str = ""  # the placeholder as written in the template
    choices: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_placeholder(self) -> bool:
        return self.kind != "text"

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "text": self.text,
            "raw": self.raw,
            "choices": list(self.choices),
        }


def parse(template: str) -> list[Segment]:
    """Split a command template into text, field and choice segments."""
    segments: list[Segment] = []
    pos = 0
    for m in _TOKEN_RE.finditer(template):
        if m.start() > pos:
            _add_text(segments, template[pos : m.start()])
        raw = m.group(0)
        if m.group("tldr"):
            body = m.group("tldr_body").strip()
            choice = _CHOICE_RE.match(body)
            if choice:
                options = tuple(o.strip() for o in choice.group(1).split("|"))
                segments.append(Segment("choice", options[0], raw, options))
            else:
                segments.append(Segment("field", body, raw))
        else:
            body = m.group("angle_body") or m.group("square_body") or m.group("bare")
            segments.append(Segment("field", body, raw))
        pos = m.end()
    if pos < len(template):
        _add_text(segments, template[pos:])
    return segments


def _add_text(segments: list[Segment], text: str) -> None:
    # tldr escapes literal braces as \{\{ … \}\}
    text = text.replace("\\{\\{", "{{").replace("\\}\\}", "}}")
    if segments and segments[-1].kind == "text":
        segments[-1] = Segment("text", segments[-1].text + text)
    else:
        segments.append(Segment("text", text))


def fields(template: str) -> list[Segment]:
    """Distinct placeholders in order of first appearance (one input each)."""
    seen: set[str] = set()
    out = []
    for seg in parse(template):
        if seg.is_placeholder and seg.raw not in seen:
            seen.add(seg.raw)
            out.append(seg)
    return out


def fill(template: str, values: dict[str, str] | None = None) -> str:
    """The command with placeholders replaced by `values` (keyed by raw text).

    Choices fall back to their first spelling; empty fields stay as written
    so the result still shows what is missing.
    """
    values = values or {}
    out = []
    for seg in parse(template):
        if seg.kind == "text":
            out.append(seg.text)
        elif seg.kind == "choice":
            out.append(values.get(seg.raw) or seg.text)
        else:
            out.append(values.get(seg.raw) or seg.raw)
    return "".join(out)


def command_words(template: str) -> str:
    """Literal words of a template plus every spelling of its choices.

    Used for indexing: `git commit {{[-m|--message]}} "{{msg}}"` gives
    `git commit -m --message ""`; field labels are not part of the command.
    """
    parts = []
    for seg in parse(template):
        if seg.kind == "text":
            parts.append(seg.text)
        elif seg.kind == "choice":
            parts.append(" " + " ".join(seg.choices) + " ")
        else:
            parts.append(" ")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def command_key(command: str) -> str:
    """The literal words a command starts with, before options and placeholders."""
    words = []
    for seg in parse(command.split("\n", 1)[0]):
        if seg.kind == "field" or (seg.kind == "choice" and seg.text.startswith("-")):
            break
        stop = False
        # `docker {{[ps|container ls]}}`: a choice of subcommands reads as its first spelling.
        for word in seg.text.split():
            if word == "sudo" and not words:
                continue
            if not _KEY_WORD_RE.match(word.lower()) or len(words) == 3:
                stop = True
                break
            words.append(word.lower())
        if stop:
            break
    return " ".join(words)[:100]
