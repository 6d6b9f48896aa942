"""Wiki links on the note page: where each [[name]] leads, and the backlinks."""

from __future__ import annotations

import html
from urllib.parse import quote, unquote

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from links import linking
from links.models import Link
from notes.mdrules import normalize
from notes.models import Note

register = template.Library()


@register.simple_tag(takes_context=True)
def note_body(context, note: Note) -> SafeString:
    """The note's stored HTML, with each [[name]] pointing straight at its note.

    A name no note has links to "create this note" for editors and stays plain
    text for readers. One query, and only on pages that have wiki links.
    """
    body = note.body_html
    if 'class="wikilink"' not in body:
        return mark_safe(body)  # noqa: S308 - sanitized by notes.markdown on save
    links = list(
        Link.objects.filter(source=note).select_related("target").only("key", "name", "target__slug")
    )
    linking.heal(links)
    targets = {link.key: link.target for link in links}
    can_edit = context.get("can_edit", False)
    create = reverse("note_create")

    def replace(match) -> str:
        name = html.unescape(unquote(match.group(1)))
        fragment, text = match.group(2) or "", match.group(3)
        target = targets.get(normalize(name))
        if target is not None:
            href = html.escape(target.get_absolute_url() + fragment)
            return f'<a class="wikilink" href="{href}">{text}</a>'
        if can_edit:
            href = html.escape(f"{create}?title={quote(name, safe='')}")
            return f'<a class="wikilink missing" href="{href}" rel="nofollow">{text}</a>'
        return f'<span class="wikilink missing">{text}</span>'

    return mark_safe(linking.WIKILINK_RE.sub(replace, body))  # noqa: S308 - rebuilt from sanitized parts


@register.simple_tag
def backlinks(note: Note) -> list[Note]:
    return list(
        Note.objects.filter(outgoing_links__target=note)
        .exclude(pk=note.pk)
        .distinct()
        .order_by("title")
        .only("title", "slug")
    )
