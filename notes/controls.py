"""Characters nobody means to type in one-line text: note titles, tags, lookup tasks.

A title is one line a person reads. A pasted terminal escape (ESC [31m) or a bell is never
meant, cannot be seen, and XML 1.0 cannot carry it: one such title made the changes feed
fail for every reader. A right-to-left override (U+202E) makes a title read backwards, and
U+FFFE / U+FFFF are not characters at all. Text with one is refused where it comes in (the
forms, the admin, imports); the feed drops what XML cannot hold, and /q/ what a terminal
would obey, for text saved before the check.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 controls and DEL (tab and line breaks too: a title is one line), the bidi
# controls, and the two non-characters of the BMP.
_INVISIBLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
# What XML 1.0 cannot hold at all (tab and line breaks it can).
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What a terminal would act on in plain text: every control but tab and line feed.
_NOT_TERMINAL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def control_character(text: str) -> str | None:
    """The first character of ``text`` nobody means to type, as U+XXXX, or None."""
    m = _INVISIBLE_RE.search(text)
    return f"U+{ord(m.group()):04X}" if m else None


def visible(text: str) -> str:
    """``text`` with each such character written as its code point, for an error message that
    quotes it: echoing the raw ESC would act on a terminal or hide in a page."""
    return _INVISIBLE_RE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def terminal_control(text: str) -> str | None:
    """The first character of ``text`` a terminal would act on (tab and line feed aside)."""
    m = _NOT_TERMINAL_RE.search(text)
    return f"U+{ord(m.group()):04X}" if m else None


def one_line(text: str) -> str:
    """A title as typed: a tab pasted from a spreadsheet is a space, not a refusal."""
    return text.replace("\t", " ").strip()


def refuse_control_characters(value: str) -> None:
    """Validator for a model or form field of one-line text."""
    if char := control_character(value):
        raise ValidationError(
            _("The text contains a control character (%(char)s), which cannot be shown; remove it."),
            code="control_character",
            params={"char": char},
        )


def xml_safe(text: str) -> str:
    return _NOT_XML_RE.sub("", text)


def terminal_safe(text: str) -> str:
    return _NOT_TERMINAL_RE.sub("", text)
