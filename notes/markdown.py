"""Markdown → safe HTML for notes.

Python-Markdown with pymdown-extensions renders, Pygments highlights, and nh3
sanitizes the result, so whatever a note contains, the HTML we store and serve
carries no script, event handler or ``javascript:`` URL.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

log = logging.getLogger(__name__)

# Bump when the rendering changes, so cached HTML is rebuilt (see Note.save).
RENDER_VERSION = 2

EXTENSIONS = [
    "markdown.extensions.tables",
    "markdown.extensions.footnotes",
    "markdown.extensions.attr_list",
    "markdown.extensions.def_list",
    "markdown.extensions.abbr",
    "markdown.extensions.sane_lists",
    "markdown.extensions.nl2br",
    "markdown.extensions.toc",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.tasklist",
    "pymdownx.tilde",
    "pymdownx.magiclink",
    "pymdownx.betterem",
]

EXTENSION_CONFIGS = {
    "markdown.extensions.toc": {
        "slugify": slugify_unicode,
        "permalink": "#",
        "permalink_title": "",
        "toc_depth": "2-4",
    },
    "pymdownx.highlight": {
        "use_pygments": True,
        "guess_lang": False,
        "css_class": "highlight",
        "pygments_lang_class": True,
    },
    "pymdownx.tasklist": {"custom_checkbox": False},
}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "s", "samp", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "input": {"type", "checked", "disabled"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: str


def _sanitize(raw: str) -> str:
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
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


def render(body: str, title: str | None = None) -> Rendered:
    """Render a note body. Never raises: a body the renderer chokes on is shown as text."""
    if title:
        body = _without_title(body, title)
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    try:
        raw = md.convert(body)
        toc = getattr(md, "toc", "")
    except Exception:  # noqa: BLE001 - any renderer bug must not lose the note
        log.exception("markdown rendering failed; showing the body as plain text")
        raw, toc = f"<pre>{html.escape(body)}</pre>", ""
    # The toc is empty markup when a note has no headings.
    if 'class="toc"' in toc and "<li>" not in toc:
        toc = ""
    return Rendered(html=_sanitize(raw), toc=_sanitize(toc))


def render_html(body: str) -> str:
    """Entry point for django-markdownx's live preview."""
    return render(body).html
