from django import forms
from django.utils.translation import gettext_lazy as _

EXPIRY_CHOICES = [
    ("", _("Never expires")),
    ("1", _("1 day")),
    ("7", _("7 days")),
    ("30", _("30 days")),
    ("90", _("90 days")),
]


class ShareLinkForm(forms.Form):
    expires_in = forms.TypedChoiceField(
        label=_("Expiry"), choices=EXPIRY_CHOICES, coerce=int, empty_value=None, required=False
    )
