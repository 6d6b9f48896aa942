"""Task → command entries found in a note's Markdown.

People write the same thing in many shapes; we recognise five:

1. tldr-style items: ``- Task:`` then a line holding only `` `command` ``.
2. A line holding only an inline command, under a heading or right after the
   sentence that says what it does (``1. ボリュームを作る`` / `` `$ docker volume create x` ``).
3. An inline command inside a sentence: the rest of the sentence is the task
   (``どの層かは`docker history`で確認できる``), and the same for a bare command
   opening a sentence (``docker rm で完全削除できる``).
4. A fenced shell block: its commands, each tasked by the comment above it,
   else by the sentence before the block, else by the heading.
5. A table row: the cells beside a command are its task.

The heading of the section is always kept as an extra phrasing, and its anchor
(the id Python-Markdown's toc extension gives it) lets results link there.
Content blocks (YAML, Dockerfile, JSON …) are not commands and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from lookup.placeholders import CJK
from lookup.wording import (  # noqa: F401 - is_question and task_head are part of this API
    JOINERS,
    MAX_ITEM_LEN,
    MAX_TASK_LEN,
    MEANINGFUL,
    SPAN_RE,
    clean,
    is_fragment,
    is_keyword,
    is_question,
    task_around,
    task_head,
    tidy,
)
from notes.markdown import parser as markdown_parser
from notes.mdrules import Slugger, inline_text, slugify

SHELL_LANGS = {
    "sh",
    "bash",
    "shell",
    "zsh",
    "fish",
    "ksh",
    "console",
    "shell-session",
    "shellsession",
    "terminal",
    "powershell",
    "ps",
    "ps1",
    "pwsh",
    "cmd",
    "bat",
    "batch",
}
NO_LANG = {"", "text", "txt", "plain", "plaintext"}
MAX_COMMANDS_PER_BLOCK = 5

_FENCE_RE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*\{?\.?(?P<lang>[\w+#.-]*)")
_HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_HR_RE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_TABLE_RULE_RE = re.compile(r"^\|?(?:\s*:?-+:?\s*\|)+(?:\s*:?-+:?\s*)?$")
_LIST_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_QUOTE_RE = re.compile(r"^\s*(?:>\s?)+")
_PROMPT_RE = re.compile(r"^\s*(?:\$|%|❯|PS>|PS [^>]*>)\s*")
_COMMAND_RE = re.compile(r"^(?:sudo\s+)?(?:\./|~/|/)?[a-z0-9][\w.+/-]*(?=\s|$)")
_SCRIPT_WORDS = {
    "if",
    "then",
    "else",
    "elif",
    "fi",
    "for",
    "while",
    "do",
    "done",
    "case",
    "esac",
    "until",
    "function",
    "return",
    "{",
    "}",
    "EOF",
}
_BARE_RE = re.compile(
    r"^(?:\$\s*)?(?P<cmd>[a-z][\w.-]*(?:[ \t]+(?:--?[A-Za-z0-9-]+|[a-z0-9][A-Za-z0-9_./:=-]*))+)[ \t]*"
    r"(?P<rest>(?:コマンド)?で[^\n]*(?:できる|できます|する|します|可能)[。.]?)$"
)


@dataclass
class Extracted:
    tasks: list[str]  # first is the one to show; the heading is always among them
    command: str
    explanation: str = ""
    anchor: str = ""
    heading: str = ""

    @property
    def task(self) -> str:
        return self.tasks[0]


@dataclass
class _Section:
    heading: str
    anchor: str


@dataclass
class _State:
    section: _Section
    prev_text: str = ""  # last prose line in the current paragraph run
    blanks: int = 0  # blank lines since prev_text
    pending_item: str = ""  # "- Task:" waiting for its command line
    entries: list[Extracted] = field(default_factory=list)


def extract(text: str, title: str = "") -> list[Extracted]:
    """All entries of one note, in document order, one per (command, anchor)."""
    lines = text.replace("\r\n", "\n").split("\n")
    anchors = _AnchorMaker()
    st = _State(_Section(title, ""))
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE_RE.match(line)
        if fence:
            end = _fence_end(lines, i, fence.group("fence"))
            _block(st, fence.group("lang").lower(), lines[i + 1 : end])
            st.prev_text, st.pending_item, st.blanks = "", "", 0
            i = end + 1
            continue
        heading = _HEADING_RE.match(line)
        if heading:
            text_ = heading.group("text")
            st.section = _Section(clean(text_), anchors.anchor(text_))
            st.prev_text, st.pending_item, st.blanks = "", "", 0
        elif not line.strip():
            st.blanks += 1
        elif _HR_RE.match(line):
            st.prev_text, st.pending_item = "", ""
        else:
            _prose_line(st, line, lines[i + 1 : i + 3])
        i += 1
    return _merge(st.entries)


def _fence_end(lines: list[str], start: int, fence: str) -> int:
    for j in range(start + 1, len(lines)):
        if lines[j].strip().startswith(fence[0] * len(fence)) and not lines[j].strip().strip(fence[0]):
            return j
    return len(lines)


class _AnchorMaker:
    """Heading ids exactly as the note page gives them (notes/mdrules.py)."""

    def __init__(self) -> None:
        self.slugger = Slugger()

    def anchor(self, heading_text: str) -> str:
        return self.slugger.unique(_base_id(heading_text))


@lru_cache(maxsize=4096)
def _base_id(heading_text: str) -> str:
    if not re.search(r"[*_`\[\]<>&\\!~:@.]", heading_text):
        return slugify(heading_text)
    # Inline markup changes the visible text; let the note renderer parse it.
    tokens = markdown_parser().parse("# " + heading_text)
    return slugify(inline_text(tokens[1].children)) if len(tokens) > 1 else slugify(heading_text)


def _strip_prompt(cmd: str) -> str:
    return _PROMPT_RE.sub("", cmd, count=1).strip()


def _is_command(code: str, inline: bool) -> bool:
    had_prompt = bool(_PROMPT_RE.match(code))
    cmd = _strip_prompt(code)
    if not cmd or not _COMMAND_RE.match(cmd):
        return False
    words = cmd.split()
    if words[0] in _SCRIPT_WORDS or words[0].endswith(":") or "=" in words[0]:
        return False
    # A lone backticked word in prose is usually a name (`latest`), not a command.
    return not inline or had_prompt or len(words) >= 2


# A cell that says something: a letter or a CJK character, not only a number or a mark.
_WORDY_RE = re.compile(rf"[A-Za-z{CJK}]")


def _table_row(st: _State, line: str) -> bool:
    """A GFM table row: the cells beside a command say its task.

    A cheat sheet is often a table: | `docker ps` | 動いているコンテナを見る |. The row's
    other cells are the task; a row with no words beside its command (a table of bare
    flags, `rm -rf` | `ls -la`) says no task, and makes no entry. Header and delimiter
    rows are neither.
    """
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1):
        return False
    if _TABLE_RULE_RE.match(stripped):
        return True
    cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", stripped[1:-1])]
    commands = [m for c in cells for m in SPAN_RE.finditer(c) if _is_command(m.group("code"), inline=True)]
    # The first cell of words is the task; the others (a remark, a count, a ✔) explain it.
    words = [w for c in cells if c and not SPAN_RE.fullmatch(c) if _WORDY_RE.search(w := clean(c))]
    if commands and words:
        for m in commands:
            _add(st, words[0], _strip_prompt(m.group("code")), " ".join(words[1:]), whole=True)
    st.prev_text, st.pending_item, st.blanks = "", "", 0
    return True


def _prose_line(st: _State, line: str, following: list[str]) -> None:
    if _table_row(st, line):
        return
    body = _LIST_RE.sub("", _QUOTE_RE.sub("", line)).strip()
    is_item = bool(_LIST_RE.match(_QUOTE_RE.sub("", line)))
    if _QUOTE_RE.match(line) or (is_item and body.endswith((":", "："))):
        # Quotes are someone else's prose; "- Task with `cmd`:" names the command below it.
        st.pending_item = clean(body).rstrip(":：").strip() if is_item else ""
        st.prev_text, st.blanks = clean(body), 0
        return
    rest = SPAN_RE.sub("", body)
    only = SPAN_RE.fullmatch(body)
    if st.pending_item and only:
        # tldr style: the code line under "- Task:" is the command, whatever it looks like ("!{{n}}").
        cmd = re.sub(r"^\$\s+", "", only.group("code").strip())
        _add(st, st.pending_item, cmd, _explanation(following), whole=True)
        st.pending_item, st.prev_text, st.blanks = "", "", 0
        return
    spans = [m for m in SPAN_RE.finditer(body) if _is_command(m.group("code"), inline=True)]
    if spans and len(MEANINGFUL.findall(rest)) <= 5:
        # The line is (nearly) just commands: the task is said before it.
        task, whole = st.pending_item, bool(st.pending_item)
        if not task and st.prev_text and (st.blanks == 0 or st.prev_text.endswith((":", "："))):
            task = st.prev_text.rstrip(":：").strip()
        explanation = _explanation(following)
        for m in spans:
            _add(st, task, _strip_prompt(m.group("code")), explanation, whole=whole)
        st.pending_item, st.prev_text, st.blanks = "", "", 0
        return
    if spans:
        for sentence in _sentences_with_spans(body):
            found = [m for m in SPAN_RE.finditer(sentence) if _is_command(m.group("code"), inline=True)]
            if 0 < len(found) <= 2:  # longer lists are enumerations, not tasks
                if is_question(sentence):
                    continue  # "…破棄してはいけないのか？" asks; it does not say what a command does
                for k, m in enumerate(found):
                    task = task_around(sentence, found, k)
                    if task is not None:
                        _add(st, task, _strip_prompt(m.group("code")), clean(sentence), sentence=True)
    else:
        bare = _BARE_RE.match(body)
        if bare and re.search(rf"[{CJK}]", bare.group("rest")):
            task = tidy(re.sub(rf"^{JOINERS}", "", bare.group("rest")))
            if not is_question(body) and not is_fragment(task):
                _add(st, task, bare.group("cmd").strip(), clean(body), sentence=True)
    st.pending_item = clean(body).rstrip(":：").strip() if is_item and body.endswith((":", "：")) else ""
    st.prev_text, st.blanks = clean(body), 0


def _sentences_with_spans(body: str) -> list[str]:
    # Split on Japanese/English sentence ends, but never inside a code span.
    parts, buf, pos = [], "", 0
    for m in SPAN_RE.finditer(body):
        buf += body[pos : m.start()]
        chunks = re.split(r"(?<=[。！？])|(?<=[.!?])\s+", buf)
        parts.extend(chunks[:-1])
        buf = chunks[-1] + m.group(0)
        pos = m.end()
    buf += body[pos:]
    parts.extend(re.split(r"(?<=[。！？])|(?<=[.!?])\s+", buf))
    return [p for p in parts if "`" in p]


def _explanation(following: list[str]) -> str:
    """A remark right under a standalone command (e.g. "※ --rm removes …")."""
    line = following[0].strip() if following else ""
    if not line and len(following) > 1 and following[1].strip().startswith(("※", "Note", "NB")):
        line = following[1].strip()
    if not line or line.startswith(("#", "`", "|", "!", "-", "*")) or _FENCE_RE.match(line):
        return ""
    line = clean(_QUOTE_RE.sub("", line))
    prose = re.search(rf"[{CJK}]", line) or (len(line.split()) >= 4 and line.endswith("."))
    return line[:300] if prose else ""


# A sentence end followed by more text: 。 or ！ anywhere but the end, or ". " before a capital.
_MORE_THAN_ONE_SENTENCE = re.compile(r"[。！？](?=\s*\S)|[.!?]\s+(?=[A-Z])")


def _block(st: _State, lang: str, body: list[str]) -> None:
    if lang not in SHELL_LANGS and lang not in NO_LANG:
        prompted_only = True  # YAML, Dockerfile, …: only explicit "$ cmd" lines count
    else:
        prompted_only = any(_PROMPT_RE.match(line) and line.strip()[:1] in "$%❯P" for line in body)
    if lang in NO_LANG and not prompted_only and not _looks_like_shell(body):
        return
    if not prompted_only and _is_script(body):
        return  # a script is read as a whole, not as one-line tasks
    lead = st.prev_text if st.prev_text and st.blanks <= 1 and len(st.prev_text) <= MAX_TASK_LEN else ""
    lead = lead.rstrip(":：").strip()
    explanation = ""
    comment, count, heredoc = "", 0, ""
    found: list[tuple[str, str]] = []  # (comment above it, command)
    j = 0
    while j < len(body) and count < MAX_COMMANDS_PER_BLOCK:
        line = body[j].rstrip()
        j += 1
        if heredoc:
            heredoc = "" if line.strip() == heredoc else heredoc
            continue
        stripped = line.strip()
        if not stripped:
            comment = ""
            continue
        if stripped.startswith("#") and not (
            lang == "console" and stripped.startswith("# ") and prompted_only
        ):
            comment = stripped.lstrip("#").strip()
            continue
        if prompted_only and not _PROMPT_RE.match(line):
            continue  # program output
        cmd = _strip_prompt(stripped)
        while cmd.endswith("\\") and j < len(body):  # continuation lines stay one command
            cmd = cmd + "\n" + body[j].strip()
            j += 1
        doc = re.search(r"<<-?\s*['\"]?(\w+)", cmd)
        heredoc = doc.group(1) if doc else ""
        if not _is_command(cmd, inline=False):
            comment = ""
            continue
        found.append((comment, cmd))
        comment, count = "", count + 1
    several = sum(1 for c, _ in found if not c) > 1
    if lead and st.section.heading and (several or _MORE_THAN_ONE_SENTENCE.search(lead)):
        # The words before a block explain it, and the heading above says the task, when they
        # are two sentences ("… が docker logs で読める。アプリのログは stdout に出す。" under
        # 「ログを追いかける」) or one sentence before several commands ("db という名前で DB に
        # 接続できるようになる" after network create, run and psql: what they do together).
        lead, explanation = "", lead
    for comment, cmd in found:
        _add(st, comment or lead, cmd, "" if comment else explanation)


def _is_script(body: list[str]) -> bool:
    for line in body:
        words = line.split()
        if line.startswith("#!") or (words and words[0] in _SCRIPT_WORDS - {"{", "}", "EOF"}):
            return True
    return False


def _looks_like_shell(body: list[str]) -> bool:
    code = [line.strip() for line in body if line.strip() and not line.strip().startswith("#")]
    if not code or len(code) > 10:
        return False
    first = code[0]
    if re.match(r"^[\w.-]+\s*[:=]", first) or first.endswith((":", "{", ";", ",")):
        return False  # key: value, key = value, code
    return _is_command(first, inline=False) and (len(first.split()) >= 2)


def _add(
    st: _State, task: str, command: str, explanation: str, whole: bool = False, sentence: bool = False
) -> None:
    """sentence: the task was cut out of prose, the weakest source; junk is dropped."""
    command = command.strip()
    if not command:
        return
    heading = st.section.heading
    task = tidy(task, whole) if task else ""
    if sentence:
        if is_keyword(task):
            task = ""
        if is_question(heading):
            heading = ""
        if not task and (not heading or is_keyword(heading)):
            return
    # A scrap like "そこで便利なのが" says less than the heading does (unless that is a mere name).
    says_more = heading and not (sentence and is_keyword(heading))
    primary = task if whole or len(MEANINGFUL.findall(task)) >= 8 or not says_more else heading
    tasks = [t for t in dict.fromkeys([primary, task, heading]) if t]
    if not tasks:
        tasks = [command]
    st.entries.append(Extracted(tasks, command, explanation, st.section.anchor, st.section.heading))


def _merge(entries: list[Extracted]) -> list[Extracted]:
    merged: dict[tuple[str, str], Extracted] = {}
    for e in entries:
        key = (e.command, e.anchor)
        if key in merged:
            old = merged[key]
            old.tasks = list(dict.fromkeys(old.tasks + e.tasks))
            old.explanation = old.explanation or e.explanation
        else:
            merged[key] = e
    return list(merged.values())
