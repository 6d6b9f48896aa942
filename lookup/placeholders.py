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

Go templates use the same braces as tldr (``--format '{{.State.ExitCode}}'``);
a body that reads as a Go action (``.Field``, ``json .Config``) is literal text.

Parsing is linear in the template: a tldr body never spans another ``{{`` and
is at most MAX_BODY characters, and only the first MAX_PARSED characters of a
template are looked at for placeholders (the rest is literal), so a planted
``"{{" * 50000`` costs a single pass.
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

MAX_BODY = 200
MAX_PARSED = 20_000
# A tldr body: escaped characters, anything but braces, or a lone brace; never "{{" or "}}",
# and each character matches exactly one way, so a failed match cannot backtrack far.
_TLDR_BODY = rf"(?:\\.|[^{{}}\\]|\{{(?!\{{)|\}}(?!\}})){{1,{MAX_BODY}}}?"

_TOKEN_RE = re.compile(
    rf"(?P<tldr>\{{\{{(?P<tldr_body>{_TLDR_BODY})\}}\}}(?!\}}))"
    # not part of <<EOF, 2<&1, <(...) or a redirection followed by a word
    rf"|(?P<angle>(?<![<\w&])<(?P<angle_body>{_ANGLE_NAME})>(?![>\w]))"
    rf"|(?P<square>(?<![\w\[])\[(?P<square_body>{_SQUARE_NAME})\](?![\w\]]))"
    # a bare Japanese word inside a command (`docker volume inspect ボリューム名`)
    rf"|(?P<bare>(?<![\w{CJK}])[{CJK}][{CJK}A-Za-z0-9_・]*(?![\w{CJK}]))"
)
_KEY_WORD_RE = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")
# A field whose label lists the values it takes: {{start|stop|restart}}, {{zsh|bash|fish}}.
MIN_OPTIONS = 3
_OPTIONS_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*(?:\|[A-Za-z0-9][A-Za-z0-9._+-]*)+$")
_CHOICE_RE = re.compile(r"^\[([^\[\]]*\|[^\[\]]*)\]$")
# Go template actions: {{.State.ExitCode}}, {{json .Config}}, {{range $p, $c := .Ports}}.
_GO_ACTION_RE = re.compile(r"^\.[A-Z]|^(?:json|range|with|if|index|printf|len)\s+[.$(]")
_GO_BLOCK_RE = re.compile(r"^(?:range|with|if)\s")  # closed by {{end}}
# Characters a shell never treats specially in a bare word (as Python's shlex.quote).
_SHELL_SAFE_RE = re.compile(r"[\w@%+=:,./-]+", re.ASCII)


@dataclass(frozen=True)
class Segment:
    """One piece of a template: literal text, a field to type, or a choice."""

    kind: str  # "text" | "field" | "choice"
    text: str  # literal text; the field's label; the default choice
    raw: str = ""  # the placeholder as written in the template
    choices: tuple[str, ...] = field(default_factory=tuple)
    # The shell quotes the placeholder sits in: "" (none), "'" or '"'.
    quote: str = ""

    @property
    def is_placeholder(self) -> bool:
        return self.kind != "text"

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "text": self.text,
            "raw": self.raw,
            "choices": list(self.choices),
            "quote": self.quote,
        }


def parse(template: str) -> list[Segment]:
    """Split a command template into text, field and choice segments."""
    segments: list[Segment] = []
    scanned = template[:MAX_PARSED]
    pos = 0
    quote = _QuoteState()
    go_blocks = 0  # Go template blocks open ({{range …}} … {{end}})
    for m in _TOKEN_RE.finditer(scanned):
        raw = m.group(0)
        body = (m.group("tldr_body") or "").strip()
        if m.group("tldr") and (_GO_ACTION_RE.match(body) or (go_blocks and body in ("end", "else"))):
            # Stays in the text run, as written: `--format '{{range .Networks}}…{{end}}'`.
            go_blocks += 1 if _GO_BLOCK_RE.match(body) else -1 if body == "end" else 0
            continue
        if m.start() > pos:
            quote.feed(_add_text(segments, template[pos : m.start()]))
        if m.group("tldr"):
            choice = _CHOICE_RE.match(body)
            if choice:
                options = tuple(o.strip() for o in choice.group(1).split("|"))
                segments.append(Segment("choice", options[0], raw, options, quote.current))
            else:
                label = body.replace("\\{\\{", "{{").replace("\\}\\}", "}}")
                segments.append(Segment("field", label, raw, quote=quote.current))
        else:
            body = m.group("angle_body") or m.group("square_body") or m.group("bare")
            segments.append(Segment("field", body, raw, quote=quote.current))
        pos = m.end()
    if pos < len(template):
        _add_text(segments, template[pos:])
    return segments


class _QuoteState:
    """Which shell quotes are open after the text seen so far."""

    def __init__(self) -> None:
        self.current = ""

    def feed(self, text: str) -> None:
        escaped = False
        for ch in text:
            if escaped:
                escaped = False
            elif ch == "\\" and self.current != "'":
                escaped = True
            elif self.current == "" and ch in "'\"":
                self.current = ch
            elif ch == self.current:
                self.current = ""


def _add_text(segments: list[Segment], text: str) -> str:
    # tldr escapes literal braces as \{\{ … \}\}
    text = text.replace("\\{\\{", "{{").replace("\\}\\}", "}}")
    if segments and segments[-1].kind == "text":
        segments[-1] = Segment("text", segments[-1].text + text)
    else:
        segments.append(Segment("text", text))
    return text


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


def chosen(template: str, words: set[str], labels: frozenset[str] = frozenset()) -> dict[str, str]:
    """Values the query already names, keyed by raw placeholder.

    A field that lists its values (``systemctl {{start|stop|restart}} {{unit}}``) takes the
    one the query asked for ("restart a service", or 再起動 translated to "restart"): the
    command shown and copied is the one that does the task. A wrong value is worse than an
    empty field, so only when exactly one of the values was asked for, only for a list of
    at least three (two words are mostly "this or that to type": ``{{tag|commit}}``), and
    never when one of them is a word the commands use in labels (``labels``:
    ``{{cluster|context|user}}``). ``words`` are lowercase.
    """
    out: dict[str, str] = {}
    for seg in parse(template):
        if seg.kind != "field" or seg.raw in out or not _OPTIONS_RE.match(seg.text):
            continue
        options = list(dict.fromkeys(seg.text.split("|")))
        if len(options) < MIN_OPTIONS or any(o.lower() in labels for o in options):
            continue
        asked = [o for o in options if o.lower() in words]
        if len(asked) == 1:
            out[seg.raw] = asked[0]
    return out


def counted(template: str, numbers: list[str]) -> dict[str, str]:
    """The number the query names, for the one field whose example is a number.

    tldr writes a count, a port or a size as an example value (``--tail {{5}}``,
    ``-p {{8080}}:80``), so "the last 100 lines" fills ``{{5}}`` with 100. Only when the
    query has exactly one number and the command exactly one such field: with two of
    either, which goes where is a guess.
    """
    if len(numbers) != 1:
        return {}
    numeric = {seg.raw for seg in parse(template) if seg.kind == "field" and seg.text.isdigit()}
    return {numeric.pop(): numbers[0]} if len(numeric) == 1 else {}


# A count as tldr writes it in a spelling or a task: 5 of "-5", "--lines 5", "Show last 5 lines".
COUNT_RE = re.compile(r"(?<![\w.])[0-9]+(?![\w.])")


def _choice_number(seg: Segment) -> str | None:
    """The one number every spelling of a choice carries: 5 in ``{{[-5|--lines 5]}}``."""
    if seg.kind != "choice":
        return None
    found = {tuple(COUNT_RE.findall(spelling)) for spelling in seg.choices}
    if len(found) == 1 and len(numbers := found.pop()) == 1:
        return numbers[0]
    return None


def renumbered(template: str, numbers: list[str]) -> tuple[str, str] | None:
    """The template with the query's number in the one choice that spells a count, and
    the number it replaced.

    tldr also writes a count into an option's spellings: `tail {{[-5|--lines 5]}} …` for
    "Show last 5 lines". "show the last 50 lines of a file" then gets
    `tail {{[-50|--lines 50]}} …`: every spelling changes, so the page's menu, the copied
    command and the shell widget all say 50. Under the same conditions as counted(): one
    number in the query, and in the command one field or choice that is a number.
    """
    if len(numbers) != 1:
        return None
    segments = parse(template)
    fields = [seg for seg in segments if seg.kind == "field" and seg.text.isdigit()]
    counts = [seg for seg in segments if _choice_number(seg) is not None]
    if fields or len({seg.raw for seg in counts}) != 1:
        return None
    seg = counts[0]
    old = _choice_number(seg)
    spellings = [
        COUNT_RE.sub(lambda m: numbers[0] if m.group() == old else m.group(), c) for c in seg.choices
    ]
    return template.replace(seg.raw, "{{[" + "|".join(spellings) + "]}}"), old


def readable(template: str, values: dict[str, str] | None = None) -> str:
    """The command as people read it: `docker logs -f <container>`.

    Choices read as their first spelling and tldr fields as ``<label>`` (``|`` in a
    label becomes ``/``, so nothing in it reads as a pipe). Fields written in a
    note's own notation (``<name>``, ``[コンテナ名]``) stay as the author wrote them.
    ``values`` (keyed by raw placeholder, as from chosen()) are shown as they are.
    """
    values = values or {}
    out = []
    for seg in parse(template):
        if seg.kind == "text":
            out.append(seg.text)
        elif seg.raw in values:
            out.append(values[seg.raw])
        elif seg.kind == "choice":
            out.append(seg.text)
        elif seg.raw.startswith("{{"):
            out.append("<" + seg.text.replace("|", "/") + ">")
        else:
            out.append(seg.raw)
    return "".join(out)


def shell_quote(value: str, quote: str = "") -> str:
    """``value`` as one shell word where it stands: bare, in '…' or in "…"."""
    if quote == "'":
        return value.replace("'", "'\\''")
    if quote == '"':
        # ! in "…" is history expansion for an interactive bash or zsh: out of the quotes for it.
        return re.sub(r'([\\"$`])', r"\\\1", value).replace("!", "\"'!'\"")
    if value and _SHELL_SAFE_RE.fullmatch(value):
        return value
    return "'" + value.replace("'", "'\\''") + "'"


def shell_fill(template: str, values: dict[str, str]) -> str:
    """The command to paste: every value shell-quoted where it stands.

    Raises ValueError naming the fields left empty: a template's ``{{name|id}}``
    pasted into bash is a pipe, so there is no safe default.
    """
    missing = [s.text for s in fields(template) if s.kind == "field" and not values.get(s.raw)]
    if missing:
        raise ValueError(f"empty fields: {', '.join(missing)}")
    out = []
    for seg in parse(template):
        if seg.kind == "text":
            out.append(seg.text)
        elif seg.kind == "choice":
            out.append(values.get(seg.raw) if values.get(seg.raw) in seg.choices else seg.text)
        elif many(seg):
            out.append(" ".join(shell_quote(word) for word in values[seg.raw].split()))
        else:
            out.append(shell_quote(values[seg.raw], seg.quote))
    return "".join(out)


def many(seg: Segment) -> bool:
    """A bare field for several values, as tldr writes it (`{{path/to/file1 path/to/file2 ...}}`):
    each word typed into it is an argument of its own."""
    return seg.kind == "field" and not seg.quote and seg.text.rstrip().endswith(("...", "…"))


def shape(command: str) -> str:
    """The command with its fields blank: tldr's en `rm {{file}}` and ja `rm {{ファイル}}` are one."""
    return " ".join("".join("{}" if seg.kind == "field" else seg.text for seg in parse(command)).split())


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
