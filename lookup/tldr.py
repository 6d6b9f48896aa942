"""Parsing tldr pages (https://github.com/tldr-pages/tldr/blob/main/CONTRIBUTING.md).

A page is::

    # command name

    > One or more description lines.
    > More information: <https://…>.

    - Task, ending with a colon:

    `command {{arg}}`

Pages live in ``pages/<platform>/`` (English) and ``pages.<lang>/<platform>/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_MORE_INFO_RE = re.compile(
    r"^(?:More information|詳細情報|更多信息|Plus d'informations)\s*[:：]\s*<?(?P<url>[^>\s]+)>?",
    re.IGNORECASE,
)
_ALIAS_RE = re.compile(r"(?:alias of|のエイリアス)", re.IGNORECASE)
_CODE_LINE_RE = re.compile(r"^`(?P<cmd>.+)`$")


@dataclass
class TldrExample:
    task: str
    command: str


@dataclass
class TldrPage:
    name: str
    description: str = ""
    url: str = ""
    alias_of: str = ""
    examples: list[TldrExample] = field(default_factory=list)


def parse_page(text: str) -> TldrPage:
    """Parse one page; tolerant of stray blank lines and CRLF."""
    page = TldrPage(name="")
    desc: list[str] = []
    pending_task = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("# ") and not page.name:
            page.name = line[2:].strip()
        elif line.startswith(">"):
            body = line[1:].strip()
            more = _MORE_INFO_RE.match(body)
            if more:
                page.url = more.group("url").rstrip(".。")
            else:
                desc.append(body)
                if _ALIAS_RE.search(body):
                    alias = re.search(r"`([^`]+)`", body)
                    page.alias_of = alias.group(1) if alias else ""
        elif line.startswith("- "):
            pending_task = line[2:].strip().rstrip(":：").strip()
        elif pending_task and (m := _CODE_LINE_RE.match(line)):
            page.examples.append(TldrExample(pending_task, m.group("cmd").strip()))
            pending_task = ""
    page.description = " ".join(desc)
    return page


def summary(description: str, limit: int = 300) -> str:
    """The first sentence of a page's description: the explanation of its entries."""
    first = re.split(r"(?<=\.)\s|(?<=。)", description.strip(), maxsplit=1)[0]
    return first[:limit]


def language_of(pages_dir: Path) -> str:
    """`pages` is English; `pages.ja` is Japanese; `pages.pt_BR` → `pt_BR`."""
    name = pages_dir.name
    return name.split(".", 1)[1] if "." in name else "en"


def iter_pages(root: Path):
    """Yield (path, language, platform) for every page under a tldr checkout.

    `root` may be the checkout (holding pages*/), one pages*/ folder, or one
    platform folder inside it.
    """
    root = Path(root)
    if root.name.startswith("pages"):
        dirs = [root]
    elif root.parent.name.startswith("pages"):
        for path in sorted(root.glob("*.md")):
            yield path, language_of(root.parent), root.name
        return
    else:
        dirs = sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("pages"))
    for pages_dir in dirs:
        lang = language_of(pages_dir)
        for platform_dir in sorted(p for p in pages_dir.iterdir() if p.is_dir()):
            for path in sorted(platform_dir.glob("*.md")):
                yield path, lang, platform_dir.name
