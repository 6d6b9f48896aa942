"""Summaries kb writes itself ("restored revision 3", "imported from x.md").

They are stored as a code and parameters, not as text, so each viewer reads them in
their own language, and a later rewording changes old revisions too. What a person
types as an edit summary stays text (Revision.message).
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy

RESTORED = "restored"
UNDELETED = "undeleted"
IMPORTED = "imported"
TLDR_IMPORTED = "tldr_imported"

TEMPLATES = {
    RESTORED: gettext_lazy("Restored revision %(number)d"),
    UNDELETED: gettext_lazy("Restored after deletion"),
    IMPORTED: gettext_lazy("Imported from %(source)s"),
    TLDR_IMPORTED: gettext_lazy("Imported from tldr page %(page)s"),
}
CODES = tuple(TEMPLATES)


def render(code: str, params: dict) -> str:
    """The summary in the active language; an unknown code or bad parameters show the raw code."""
    template = TEMPLATES.get(code)
    if template is None:
        return code
    try:
        return gettext(str(template)) % params
    except (KeyError, TypeError, ValueError):
        return f"{code} {params}"
