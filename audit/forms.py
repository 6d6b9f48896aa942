from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTIONS = [
    ("", _("All actions")),
    ("login", _("login")),
    ("login.failed", _("failed login")),
    ("logout", _("logout")),
    ("role.add", _("role given")),
    ("role.remove", _("role taken away")),
    ("token.create", _("API token created")),
    ("token.revoke", _("API token revoked")),
    ("share.create", _("share link created")),
    ("share.revoke", _("share link revoked")),
    ("note.delete", _("note deleted")),
    ("note.restore", _("note restored")),
    ("revision.restore", _("revision restored")),
    ("webhook.create", _("webhook added")),
    ("webhook.update", _("webhook changed")),
    ("webhook.delete", _("webhook deleted")),
]
LABELS = dict(ACTIONS)


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS, required=False)
    who = forms.CharField(label=pgettext_lazy("audit", "Who"), required=False, max_length=150)
    address = forms.GenericIPAddressField(label=_("Address"), required=False)
    since = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def apply(self, events):
        data = self.cleaned_data
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("who"):
            events = events.filter(actor_name__iexact=data["who"]) | events.filter(
                action="login.failed", target__iexact=data["who"]
            )
        if data.get("address"):
            events = events.filter(address=data["address"])
        if data.get("since"):
            events = events.filter(at__date__gte=data["since"])
        if data.get("until"):
            events = events.filter(at__date__lte=data["until"])
        return events
