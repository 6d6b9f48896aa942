"""The words of a task: what is kept of a sentence, and what is not a task at all.

extract.py finds where commands are; this module decides how the words around
a command read as a task ("`docker rm` で完全削除できる" → "完全削除できる").
"""

from __future__ import annotations

import re

from lookup.placeholders import CJK

MAX_TASK_LEN = 80
MAX_ITEM_LEN = 300  # Entry.tasks' column; a task someone wrote as a list item is kept whole
# A code span, as CommonMark pairs them: a whole run of backticks, then the first whole run
# of the same length. The content is at most a command's length (lookup.models): a line of
# backticks made every start scan the rest of the line, and 8,000 of them held a save 25 s.
SPAN_RE = re.compile(r"(?<!`)(`+)(?!`)(?P<code>.{1,1000}?)(?<!`)\1(?!`)")
# What may sit between a command and the words that describe it.
_SURU = r"(?:すると|すれば|して|した|します|する|し)"
JOINERS = (
    r"(?:コマンド|command)?\s*(?:を使って|を使い|を使うと|を使えば|を使う"
    # "`docker cp c:/app - > app.tar` のようにコピー先を - にすると…": the command is the
    # example of what follows.
    rf"|を?実行{_SURU}?|を?{_SURU}|という|のように|で|を|は|が|に|と|、|,|→|->)?"
)
_LEAD_TRIM = re.compile(r"^[\s、,。.:：→\->）)※]*(?:という|って|とか|と|で|を|は|が|に|も)?[\s、,]*")
_TRAIL_TRIM = re.compile(r"[\s、,。.:：!！?？→]+$")
MEANINGFUL = re.compile(rf"[A-Za-z0-9{CJK}]")
SHORT_TASK = 40  # past this, a task is cut to its first clause
# A task that starts like this is the tail of a sentence, not a task: "の SIGTERM を…"
# (the command was a modifier), "際、…" (`docker build`する際), a quote or bracket.
_PARTICLES = "のはがをにでとも"
_FRAGMENT_RE = r"^(?:[{p}](?![\u3041-\u309f])|際(?![\u3400-\u9fff])|[^\w\s])"
_HIRAGANA_RE = re.compile(r"[\u3041-\u309f]")
_KANJI_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_OPENERS = "([{（［｛「『【"
_CLOSERS = ")]}）］｝」』】"


# Neither may run past the next bracket or the next delimiter: a line of 30,000 unpaired
# "*a " or "[" made each start scan to the end of the line, and saving such a note took 30 s.
_LINK_RE = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_EMPHASIS_RE = re.compile(r"(\*\*|__|~~)(?=\S)((?:(?!\1).)+?)(?<=\S)\1|\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*")


# Inline HTML that notes (tables above all) use for layout: <br> is a space, the others
# keep their text. Code spans are matched first and left alone (`<br>` in backticks is code),
# and only these tag names count: <container> in a sentence is a placeholder, not a tag.
_INLINE_HTML_RE = re.compile(
    r"(`+[^`\n]*`+)|<br\s*/?>|</?(?:b|i|u|s|em|strong|kbd|span|sub|sup|small|del|ins|mark|a|font)(?:\s[^<>]*)?>",
    re.I,
)


def _without_html(m: re.Match) -> str:
    if m.group(1):
        return m.group(1)
    return " " if m.group(0)[1:3].lower() == "br" else ""


def clean(text: str) -> str:
    """Markdown inline markup → plain words."""
    text = _INLINE_HTML_RE.sub(_without_html, text)
    text = _LINK_RE.sub(r"\1", text)
    # Only paired emphasis: tldr's "executable*" keeps its star.
    text = _EMPHASIS_RE.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(3), text)
    text = re.sub(r"\*\*|~~", "", text)  # halves of a pair a sentence split cut apart
    # tldr's mnemonics: "E[x]tract a g[z]ipped file" → "Extract a gzipped file".
    text = re.sub(r"\[([A-Za-z]{1,3})\]", r"\1", text)
    text = SPAN_RE.sub(lambda m: m.group("code"), text)
    return re.sub(r"\s+", " ", text).strip()


_CJK_END = re.compile(rf"[{CJK}]$")
_CJK_START = re.compile(rf"^[{CJK}]")


def task_around(sentence: str, spans: list[re.Match], k: int) -> str | None:
    """The words describing spans[k]: its clause before (first one only) and after.

    None when those words are a fragment, not a task.
    """
    start = spans[k - 1].end() if k else 0
    before = sentence[start : spans[k].start()]
    if k == 0:
        # The last clause, split outside code spans (`CMD ["a", "b"]` is one piece).
        masked = re.sub(r"[、,\s]+$", "", SPAN_RE.sub(lambda m: "\0" * len(m.group(0)), before))
        before = before[max(masked.rfind("、"), masked.rfind(",")) + 1 : len(masked)]
    else:
        before = ""
    end = spans[k + 1].start() if k + 1 < len(spans) else len(sentence)
    after = re.sub(rf"^{JOINERS}", "", sentence[spans[k].end() : end])
    # Right after the command only の makes a fragment ("`docker stop` の SIGTERM"); the
    # other particles are how a sentence goes on from a command (では, でも). から, まで and
    # より make it a place the rest comes from ("ARG の値は `docker history` から見える"): a
    # remark about what it shows, not a task for it.
    rest = re.sub(r"^[\s、,]+", "", clean(after))
    if is_fragment(rest, particles="の") or re.match(r"(?:から|まで|より)(?![\u3041-\u309f])", rest):
        return None
    before, after = before.rstrip(), after.strip()
    if not after:
        before = re.sub(r"(?:は|が|を|で|に|、|,)$", "", before)  # "…消すには `cmd`"
    # The words on both sides of the command read as one sentence without it: "先に" and
    # "ログインしておくこと" are 「先にログインしておくこと」, not 「先 ログインしておくこと」.
    glued = bool(before and after and _CJK_END.search(before) and _CJK_START.match(after))
    task = tidy((before + after) if glued else f"{before} {after}".strip())
    task = _CONTRAST_END.sub("", task)
    return None if is_fragment(task) or dangles(task) else task


# A clause that leads into the rest of a sentence ("…した直後だと", "再開できるが",
# "まず SIGTERM を送り") or hangs off the one before ("なら…") describes a situation,
# not something to do with the command.
_DANGLING_END = re.compile(r"(?:だと|ると|たら|なら|ければ|は|ば|り|て|に)$")
# "表示できるが、遅い": the clause before が/ので/けど says what the command does.
_CONTRAST_END = re.compile(r"(?<=[\u3041-\u309f])(?:が|けど|けれど|ので|から|し)$")
_DANGLING_START = re.compile(r"^(?:なら|だと|ので|けど|けれど|ただし|だから)")


# Words around a command that talk about it rather than say what it does: they point back at
# it (「このコマンドをして再度」), give an opinion (「コンテナIDが変わるとおもう」), or stop on an
# adverb that leads into what follows (再度, もう一度).
_REMARK_RE = re.compile(
    r"^(?:この|その|あの)(?:コマンド|オプション|命令|方法)"
    r"|(?:と(?:おも|思)う|気がする|かも(?:しれない)?|らしい|みたい)$"
    r"|(?:再度|もう一度|また|さらに)$"
)


def dangles(task: str) -> bool:
    text = _TRAIL_TRIM.sub("", task.strip())
    if _REMARK_RE.search(text):
        return True
    if not text or not _HIRAGANA_RE.search(text[-1]):
        return bool(_DANGLING_START.match(text))
    return bool(_DANGLING_END.search(text) or _DANGLING_START.match(text))


def is_question(text: str) -> bool:
    return bool(re.search(r"[?？][\s)）」』*_]*$", text))


def is_fragment(text: str, particles: str = _PARTICLES) -> bool:
    text = _TRAIL_TRIM.sub("", text.strip())
    return bool(text) and bool(re.match(_FRAGMENT_RE.format(p=particles), text))


def is_keyword(text: str) -> bool:
    """ "EXPOSE", "tmpfs", "コンテナ": a name, with nothing that says what to do."""
    return len(text.split()) <= 1 and not _HIRAGANA_RE.search(text) and not _KANJI_RE.search(text)


def tidy(text: str, whole: bool = False) -> str:
    if whole:  # "- Task, with details (in brackets):" says exactly what it means
        return clean(text).rstrip(":：").strip()[:MAX_ITEM_LEN]
    text = _TRAIL_TRIM.sub("", _LEAD_TRIM.sub("", clean(text)))
    if len(text) > SHORT_TASK:  # keep the first clause of a long sentence
        text = _first_clause(text)
    if len(text) > MAX_TASK_LEN:
        cut = max(text.rfind(c, 0, MAX_TASK_LEN) for c in " 、，,")
        text = text[: cut if cut > MAX_TASK_LEN // 2 else MAX_TASK_LEN]
    return _TRAIL_TRIM.sub("", _balanced(text))


def _first_clause(text: str) -> str:
    """Up to the first comma outside brackets: "(KiB, MiB)" is not a clause break."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(depth - 1, 0)
        elif ch in "、，," and depth == 0 and i:
            return _TRAIL_TRIM.sub("", text[:i])
    return text


def task_head(task: str) -> tuple[str, str]:
    """A task as what it does and its asides: brackets, and in a long English task what
    follows the first comma ("…, sorted by size"). Japanese says the main verb last.

    Tasks are shown whole, but ranking weighs the asides less: otherwise a long
    task wins on its asides alone.
    """
    asides: list[str] = []
    pattern = r"[(（][^()（）]*[)）]"
    head = re.sub(pattern, lambda m: asides.append(m.group(0)[1:-1]) or " ", task)
    if len(head) > SHORT_TASK and not re.search(rf"[{CJK}]", head):
        found = re.search(r",", head)
        if found and found.start():
            asides.append(head[found.start() + 1 :])
            head = head[: found.start()]
    return " ".join(head.split()), " ".join(" ".join(asides).split())


def _balanced(text: str) -> str:
    """A cut task must not end inside brackets ("… (permissions"): drop the open part."""
    opened: list[int] = []
    stray: list[int] = []
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            opened.append(i)
        elif ch in _CLOSERS and opened:
            opened.pop()
        elif ch in _CLOSERS:
            stray.append(i)
    if opened:
        text = text[: opened[0]]
    return "".join(ch for i, ch in enumerate(text) if i not in stray).strip()
