"""Slugs for note URLs.

Titles are mostly Japanese, so slugs keep Unicode letters (browsers show
``/notes/コンテナの破棄/`` as typed) and fall back to a short id when a title
has no letters at all.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from django.utils.text import slugify

MAX_LENGTH = 120
# Path segments that notes/urls.py gives to pages of their own: /notes/new/ is the form for a
# new note, so a note with that slug could never be opened.
RESERVED = frozenset({"new"})


def slug_for(title: str) -> str:
    text = unicodedata.normalize("NFKC", title)
    # Dots and slashes separate words in titles such as docker-compose.yml.
    text = re.sub(r"[./:=>]+", "-", text)
    slug = slugify(text, allow_unicode=True)[:MAX_LENGTH].strip("-")
    if not slug:
        slug = "note-" + hashlib.sha1(title.encode()).hexdigest()[:8]
    return slug
