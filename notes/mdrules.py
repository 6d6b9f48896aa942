"""kb's additions to markdown-it: code fences, heading ids and the table of
contents, and ``[[wiki links]]``.

Everything here is glue around markdown-it-py's token stream; the parsing of
CommonMark and GFM is the library's own.
"""

from __future__ import annotations

import html
import re
import time
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference, unescapeAll
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

TOC_LEVELS = range(2, 5)
# Where a [[wiki link]] points; links.views resolves it to a note (or offers to create one).
WIKI_PREFIX = "/wiki/"
# A wiki link is a title (at most 200 characters) and an optional text: looking
# further for "]]" would only make runs of "[[" slow.
MAX_WIKI_LINK = 400

# ---------------------------------------------------------------- heading ids


def slugify(text: str) -> str:
    """Heading id as GitHub makes it: lower case, punctuation and symbols dropped, each
    space a hyphen. A README's table of contents copied from GitHub links here too."""
    return _NOT_IN_ID_RE.sub("", text.strip().lower()).replace(" ", "-")


# What GitHub keeps in an id: letters, digits, marks, "_", "-" and the space.
_NOT_IN_ID_RE = re.compile(r"[^\w\- \u0300-\u036f\u3099-\u309a]")


def legacy_slugify(text: str) -> str:
    """The id kb gave before (Python-Markdown's slugify_unicode): still on the page as a
    second anchor, so bookmarks and lookup entries saved with it keep working."""
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


class Slugger:
    """Unique ids within one page: a repeated heading gets ``-1``, ``-2`` … as on GitHub,
    or ``_1``, ``_2`` … in the legacy scheme."""

    def __init__(self, separator: str = "-") -> None:
        self.used: set[str] = set()
        self.separator = separator

    def unique(self, base: str) -> str:
        slug, n = base, 0
        while slug in self.used or not slug:
            n += 1
            slug = f"{base}{self.separator}{n}"
        self.used.add(slug)
        return slug


def inline_text(children: Sequence[Token] | None) -> str:
    """The visible text of an inline token's children, markup left out."""
    parts = []
    for child in children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "wikilink":
            parts.append(child.meta["text"])
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _heading_ids(state: StateCore) -> None:
    slugger, legacy = Slugger(), Slugger("_")
    toc: list[tuple[int, str, str]] = []
    tokens = state.tokens
    if title := state.env.get("title"):
        # The "# title" line the page shows as its title (markdown._without_title) keeps
        # its place among the ids, as lookup.extract counts it.
        anchors = {slugger.unique(slugify(title)), legacy.unique(legacy_slugify(title))}
        top = Token("html_block", "", 0)
        top.content = (
            "".join(f'<a id="{html.escape(a)}" class="legacy-anchor"></a>' for a in sorted(anchors)) + "\n"
        )
        tokens.insert(0, top)
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = inline_text(tokens[i + 1].children)
        slug = slugger.unique(slugify(text))
        old = legacy.unique(legacy_slugify(text))
        token.attrSet("id", slug)
        level = int(token.tag[1])
        if level in TOC_LEVELS:
            toc.append((level, slug, text))
        link = Token("html_inline", "", 0)
        link.content = f'<a class="headerlink" href="#{html.escape(slug)}">#</a>'
        if old != slug:
            link.content += f'<a id="{html.escape(old)}" class="legacy-anchor"></a>'
        tokens[i + 1].children = [*(tokens[i + 1].children or []), link]
    state.env["toc"] = toc


TOC_MARKERS = {"[TOC]", "[[_TOC_]]"}


def _toc_marker(state: StateCore) -> None:
    """A paragraph holding only [TOC] (Python-Markdown, GitLab) shows the contents there."""
    tokens = state.tokens
    for i in range(len(tokens) - 2, 0, -1):
        if (
            tokens[i].type == "inline"
            and tokens[i - 1].type == "paragraph_open"
            and tokens[i].content.strip() in TOC_MARKERS
        ):
            block = Token("html_block", "", 0)
            block.content = f'<div class="toc">\n{toc_html(state.env.get("toc", []))}</div>\n'
            tokens[i - 1 : i + 2] = [block]


def toc_html(entries: list[tuple[int, str, str]]) -> str:
    """Nested lists of links to the headings, as the page's table of contents."""
    if not entries:
        return ""
    out: list[str] = []
    depth: list[int] = []  # heading levels of the open <ul>s
    for level, slug, text in entries:
        if not depth or level > depth[-1]:
            out.append("<ul>\n")
            depth.append(level)
        else:
            out.append("</li>\n")
            while len(depth) > 1 and level < depth[-1]:
                out.append("</ul>\n</li>\n")
                depth.pop()
        out.append(f'<li><a href="#{html.escape(slug)}">{html.escape(text)}</a>')
    out.append("</li>\n")
    for _ in range(len(depth) - 1):
        out.append("</ul>\n</li>\n")
    out.append("</ul>\n")
    return "".join(out)


# -------------------------------------------------------------------- fences


@lru_cache(maxsize=128)
def _formatter(lang: str) -> HtmlFormatter:
    # Building a formatter costs about as much as highlighting a short block.
    return HtmlFormatter(cssclass=f"language-{lang} highlight", wrapcode=True)


def _highlighted(code: str, lang: str) -> str:
    if lang:
        try:
            lexer = get_lexer_by_name(lang)
        except ClassNotFound:
            lexer = None
        if lexer is not None:
            return highlight(code, lexer, _formatter(lang))
    css = f' class="language-{html.escape(lang)}"' if lang else ""
    return f'<div class="highlight"><pre><code{css}>{html.escape(code)}</code></pre></div>\n'


def _fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    info = unescapeAll(token.info).strip() if token.info else ""
    lang = info.split(maxsplit=1)[0] if info else ""
    if lang == "mermaid":
        # The browser draws it (static/js/diagrams.js); without JavaScript the source shows.
        env["diagrams"] = True
        return (
            '<div class="mermaid-diagram"><pre class="mermaid-source"><code class="language-mermaid">'
            f"{html.escape(token.content)}</code></pre></div>\n"
        )
    return _highlighted(token.content, lang)


# ---------------------------------------------------------------- wiki links


def _wikilink(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    src = state.src
    if not src.startswith("[[", pos):
        return False
    end = src.find("]]", pos + 2, min(state.posMax, pos + 2 + MAX_WIKI_LINK) + 1)
    if end < 0:
        return False
    inner = src[pos + 2 : end]
    if not inner.strip() or "[" in inner or "]" in inner or "\n" in inner:
        return False
    # "![[x]]", "[[[x]]]" and a [x] that a reference definition names stay
    # CommonMark's: [[…]] only claims what would otherwise be plain text.
    if (pos > 0 and src[pos - 1] in "[!") or src.startswith("]", end + 2):
        return False
    if normalizeReference(inner) in state.env.get("references", {}):
        return False
    target, _, text = inner.partition("|")
    target, text = target.strip(), text.strip()
    if not target:
        return False
    if not silent:
        token = state.push("wikilink", "a", 0)
        token.meta = {"target": target, "text": text or target}
        token.markup = inner
    state.pos = end + 2
    return True


def wiki_href(target: str) -> str:
    name, _, anchor = target.partition("#")
    href = WIKI_PREFIX + quote(name.strip(), safe="") + "/"
    return href + "#" + quote(slugify(anchor), safe="") if anchor else href


def _render_wikilink(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    meta = tokens[idx].meta
    return (
        f'<a class="wikilink" href="{html.escape(wiki_href(meta["target"]))}">{html.escape(meta["text"])}</a>'
    )


# -------------------------------------------------------------------- budget


class OverBudget(Exception):
    """Raised from inside the parser when a body takes longer than its time budget."""


def _check_budget(env: EnvType) -> None:
    deadline = env.get("deadline") if isinstance(env, dict) else None
    if deadline is not None and time.thread_time() > deadline:
        raise OverBudget


def _block_budget(state, start_line: int, end_line: int, silent: bool) -> bool:
    _check_budget(state.env)
    return False


def _inline_budget(state: StateInline, silent: bool) -> bool:
    _check_budget(state.env)
    return False


def kb_plugin(md: MarkdownIt) -> None:
    # First in both chains, so the parser looks at the clock once per line and
    # once per inline step: an hour-long input stops within its budget.
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "budget", _block_budget)
    md.inline.ruler.before(md.inline.ruler.get_all_rules()[0], "budget", _inline_budget)
    md.inline.ruler.before("link", "wikilink", _wikilink)
    md.add_render_rule("wikilink", _render_wikilink)
    md.add_render_rule("fence", _fence)
    md.core.ruler.push("heading_ids", _heading_ids)
    md.core.ruler.push("toc_marker", _toc_marker)
    md.core.ruler.push("cell_align", _cell_align)


_TEXT_ALIGN_RE = re.compile(r"text-align:\s*(left|center|right)")


def _cell_align(state: StateCore) -> None:
    """Column alignment as GitHub writes it (align="center"): the sanitizer drops style."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and (style := token.attrGet("style")):
            token.attrs.pop("style", None)
            if m := _TEXT_ALIGN_RE.search(str(style)):
                token.attrSet("align", m.group(1))


def normalize(value: str) -> str:
    """How a wiki link target is compared with titles: NFKC, case and spacing folded."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())
