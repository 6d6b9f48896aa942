from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “backup script on build server”."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("A name is required."))
        return name


# Longest username a form or django-axes will look at (Django's own username limit).
MAX_USERNAME_CHARS = 150


def _limit_username(field: forms.Field) -> None:
    # AuthenticationForm sets max_length after the field is built, which adds no
    # validator: without one a 100k-character name reaches authenticate() and
    # django-axes, whose failure log stores it in a 255-character column.
    field.max_length = MAX_USERNAME_CHARS
    field.validators.append(MaxLengthValidator(MAX_USERNAME_CHARS))


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _limit_username(self.fields["username"])


class AdminLoginForm(AdminAuthenticationForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _limit_username(self.fields["username"])


def axes_username(request, credentials: dict | None = None) -> str | None:
    """The username django-axes records (AXES_USERNAME_CALLABLE), cut to a storable size.

    Every login form above already refuses longer names; this covers any other
    caller of authenticate() with a request.
    """
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    if username is None:
        return None
    return str(username).replace("\x00", "")[:MAX_USERNAME_CHARS]
