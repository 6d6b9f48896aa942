from django import template
from django.conf import settings
from django.utils.translation import pgettext

from presence.models import Editing, display_name

register = template.Library()


@register.inclusion_tag("presence/_editing_box.html", takes_context=True)
def editing_now(context, note) -> dict:
    """The editor's "someone else is editing" box, filled at once and kept fresh by editing.js."""
    user = context["request"].user
    return {
        "note": note,
        "others": list(Editing.objects.others_on(note, user)),
        "interval": settings.KB_EDITING_HEARTBEAT_SECONDS,
    }


@register.filter
def editor_names(others) -> str:
    """ "hanako, taro" in English, "hanakoさん、taroさん" in Japanese."""
    names = [pgettext("person editing", "%(name)s") % {"name": display_name(e.user)} for e in others]
    return pgettext("list separator", ", ").join(names)
