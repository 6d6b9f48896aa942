"""Markdown → safe HTML for notes.

markdown-it-py parses CommonMark plus GitHub's extensions (tables,
strikethrough, task lists, autolinks, footnotes, alerts), kb's rules in
notes/mdrules.py add Pygments highlighting, heading ids, the table of contents,
mermaid diagrams and [[wiki links]], and nh3 sanitizes the result last, so
whatever a note contains, the HTML we store and serve carries no script, event
handler or ``javascript:`` URL.

Line breaks inside a paragraph are kept (``breaks``), as Qiita and GitHub
comments do: Japanese notes are written line by line.

markdown-it's parser runs in linear time on the inputs that made
Python-Markdown take minutes (deep brackets, backtick runs, nested quotes);
past MAX_MARKDOWN_CHARS a body is still shown whole, as escaped text with a
notice, so no single note can hold a worker for long.
"""

from __future__ import annotations

import html
import logging
import time
from dataclasses import dataclass
from functools import lru_cache

import nh3
from django.conf import settings
from django.utils.translation import gettext
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from notes import mdrules

log = logging.getLogger(__name__)

# Bump when the rendering changes, so cached HTML is rebuilt (see Note.save).
RENDER_VERSION = 6

# What GitHub's sanitizer keeps of raw HTML in a README, so it looks the same here: a centred
# logo (align), <a name> anchors, <details open>, <picture> with its light/dark <source>s.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins",
    "kbd", "li", "mark", "ol", "p", "picture", "pre", "s", "samp", "source", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href", "name"},
    "abbr": {"title"},
    "details": {"open"},
    "div": {"align"},
    "h1": {"align"}, "h2": {"align"}, "h3": {"align"}, "h4": {"align"}, "h5": {"align"}, "h6": {"align"},
    "img": {"src", "alt", "width", "height", "align"},
    "input": {"checked"},
    "p": {"align"},
    "source": {"srcset", "media", "type"},
    "table": {"align"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}  # fmt: skip
# An <input> is a task list's checkbox, and never one a reader can type into.
INPUT_TYPES = {"input": {"type": {"checkbox"}}}
DISABLED_INPUTS = {"input": {"disabled": "disabled", "type": "checkbox"}}


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: str
    # Whether the page needs the diagram script (a ```mermaid fence).
    diagrams: bool = False


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    # GitHub's extensions, as mdit_py_plugins.gfm sets them up, except that
    # extended autolinks come from linkify-it-py: the gfm_autolink plugin
    # rescans the rest of the text at every ":" (quadratic on "<http://a" runs).
    md = MarkdownIt("commonmark", {"breaks": True, "html": True, "linkify": True})
    md.enable(["table", "strikethrough", "linkify"])
    md.options["tasklists"] = True
    md.options["alerts"] = True
    md.options["strikethrough_single_tilde"] = True
    md.use(footnote_plugin, inline=False)
    md.use(mdrules.kb_plugin)
    return md


def max_markdown_chars() -> int:
    return settings.KB_MAX_MARKDOWN_CHARS


def _sanitize(raw: str) -> str:
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=INPUT_TYPES,
        set_tag_attribute_values=DISABLED_INPUTS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _without_title(body: str, title: str) -> str:
    # Imported files and tldr pages repeat the note's title as their first
    # "# …" line; the page already shows the title, so show it once.
    stripped = body.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    if first.startswith("# ") and first[2:].strip() == title.strip():
        return rest
    return body


def _as_text(body: str, notice: str) -> str:
    return f'<p class="render-notice">{html.escape(notice)}</p>\n<pre class="plain-body">{html.escape(body)}</pre>'


def render(body: str, title: str | None = None) -> Rendered:
    """Render a note body. Never raises: a body the renderer chokes on is shown as text."""
    shown = _without_title(body, title) if title else body
    # The page shows the title above the body; its anchor stays, so links made from the
    # "# title" line (lookup entries, lookup.extract) still land on the page.
    title_anchor = title.strip() if shown is not body else None
    body = shown
    if len(body) > max_markdown_chars():
        notice = gettext("This note is too long to format (over %(limit)s characters): it is shown as text.")
        return Rendered(html=_sanitize(_as_text(body, notice % {"limit": max_markdown_chars()})), toc="")
    env: dict = {"deadline": time.thread_time() + settings.KB_RENDER_BUDGET_SECONDS, "title": title_anchor}
    try:
        raw = parser().render(body, env)
    except mdrules.OverBudget:
        log.warning("markdown rendering ran over its budget; showing the body as text")
        notice = gettext("This note took too long to format: it is shown as text.")
        return Rendered(html=_sanitize(_as_text(body, notice)), toc="")
    except Exception:  # noqa: BLE001 - any renderer bug must not lose the note
        log.exception("markdown rendering failed; showing the body as plain text")
        return Rendered(html=_sanitize(_as_text(body, gettext("This note could not be formatted."))), toc="")
    return Rendered(
        html=_sanitize(raw),
        toc=_sanitize(mdrules.toc_html(env.get("toc", []))),
        diagrams=bool(env.get("diagrams")),
    )


def render_html(body: str) -> str:
    """Entry point for django-markdownx's live preview: the same HTML the page shows."""
    return render(body).html
