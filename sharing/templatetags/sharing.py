from django import template

from sharing.forms import ShareLinkForm

register = template.Library()


@register.inclusion_tag("sharing/_note_links.html", takes_context=True)
def share_links(context, note) -> dict:
    """The note page's share-link panel (editors only; the caller checks can_edit)."""
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "note": note,
        "share_links": list(note.share_links.select_related("created_by")),
        "share_form": ShareLinkForm(),
    }
