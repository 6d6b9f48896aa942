from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from history.models import Revision
from notes.controls import xml_safe


def revision_link(rev: Revision) -> str:
    """The diff that a revision made, or the changes page for deleted notes."""
    if rev.kind == Revision.Kind.DELETE or rev.note_id is None:
        return reverse("changes") + f"#r{rev.pk}"
    return reverse("note_diff", args=[rev.slug]) + f"?a={rev.number - 1}&b={rev.number}"


class ChangesFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("kb: recent changes")
    subtitle = gettext_lazy("Edits to the team's notes, newest first.")

    def link(self) -> str:
        return reverse("changes")

    def items(self):
        return Revision.objects.recent()[:50]

    def item_title(self, item: Revision) -> str:
        # Titles saved before control characters were refused would make the whole feed fail.
        if item.kind == Revision.Kind.DELETE:
            return xml_safe(_("%(title)s (deleted)") % {"title": item.title})
        return xml_safe(f"{item.title} (#{item.number})")

    def item_description(self, item: Revision) -> str:
        # The feed says what changed, not the text: readers follow the link.
        return escape(xml_safe(item.summary or (_("Revision %(number)d") % {"number": item.number})))

    def item_link(self, item: Revision) -> str:
        return revision_link(item)

    def item_guid(self, item: Revision) -> str:
        return f"urn:kb:revision:{item.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item: Revision) -> str | None:
        return xml_safe(item.author.get_username()) if item.author else None

    def item_pubdate(self, item: Revision):
        return item.created_at

    def item_updateddate(self, item: Revision):
        return item.created_at
