"""Commands as people read them, wherever a page shows one (see placeholders.readable)."""

from __future__ import annotations

import html
import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from lookup import placeholders

register = template.Library()

# A plain inline code span of sanitized note HTML: its text is escaped, it holds no tags.
_CODE_SPAN_RE = re.compile(r"<code>([^<]*)</code>")


@register.filter
def readable(command: str) -> str:
    return placeholders.readable(command)


@register.filter
def readable_body(note) -> SafeString:
    """A note's HTML with tldr's placeholder syntax in code spans made readable.

    Only imported tldr pages: the team's own notes may quote Jinja or Helm
    templates in code, and those must show as written.
    """
    body = note.body_html
    if not (note.import_key or "").startswith("tldr:"):
        return mark_safe(body)  # noqa: S308 - stored HTML is sanitized on save (notes.markdown)

    def one(m: re.Match) -> str:
        command = placeholders.readable(html.unescape(m.group(1)))
        return f"<code>{html.escape(command, quote=False)}</code>"

    return mark_safe(_CODE_SPAN_RE.sub(one, body))  # noqa: S308 - sanitized HTML, escaped text


# A code span as CommonMark writes it: a run of backticks, then the same run (``a `b` c``).
_CODE_SPAN_TEXT_RE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")


@register.filter
def code_spans(text: str) -> SafeString:
    """Plain text whose `backticked` words show as code, as the page they came from does
    (tldr's descriptions: "using `regex`es"); everything else is escaped."""
    escaped = html.escape(text, quote=False)  # leaves backticks as they are
    return mark_safe(_CODE_SPAN_TEXT_RE.sub(lambda m: f"<code>{m.group(2).strip()}</code>", escaped))  # noqa: S308
