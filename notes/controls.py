"""Control characters in one-line text: note titles, and what the Atom feed carries.

A title is one line a person reads. A pasted terminal escape (ESC [31m) or a bell is never
meant, cannot be seen, and XML 1.0 cannot carry it: one such title made the changes feed
fail for every reader. Titles with one are refused where they come in (the form, imports);
the feed also drops what XML cannot hold, for text saved before the check.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL: tab and line breaks included, since a title is one line.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What XML 1.0 cannot hold at all (tab and line breaks it can).
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def control_character(text: str) -> str | None:
    """The first control character in ``text`` as U+XXXX, or None."""
    m = _CONTROL_RE.search(text)
    return f"U+{ord(m.group()):04X}" if m else None


def xml_safe(text: str) -> str:
    return _NOT_XML_RE.sub("", text)
