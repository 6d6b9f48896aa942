"""Finding a tag as people type it: the slug kb's links use, or the name in any case or width."""

from __future__ import annotations

from django.db.models import Q
from taggit.models import Tag

from notes.frontmatter import tag_name


def find_tag(value: str) -> Tag | None:
    """The tag meant by ``value``: ``docker`` as linked, or DOCKER, ＤＯＣＫＥＲ, ``lang:ja``."""
    if not value:
        return None
    tag = Tag.objects.filter(slug=value).first()
    if tag is None:
        name = tag_name(value)
        tag = Tag.objects.filter(Q(slug__iexact=name) | Q(name__iexact=name)).first()
    return tag
