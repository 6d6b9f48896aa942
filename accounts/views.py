from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import login_required
from accounts.forms import TokenForm
from accounts.models import ApiToken
from audit import log as audit

# Session key holding a just-created raw token until the redirected GET shows it.
NEW_TOKEN_SESSION_KEY = "kb_new_token"


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = ApiToken.issue(request.user, form.cleaned_data["name"])
        audit.record(
            request, "token.create", target=token.name, detail={"token": token.pk, "hint": token.hint}
        )
        # POST→redirect→GET so a reload cannot create a second token. The raw
        # token rides in the (server-side) session, never in the URL, and is
        # popped by the next GET: shown exactly once.
        request.session[NEW_TOKEN_SESSION_KEY] = raw
        return redirect("tokens")
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None) if request.method == "GET" else None
    listed = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/tokens.html", {"form": form, "tokens": listed, "new_token": new_token})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            request, "token.revoke", target=token.name, detail={"token": token.pk, "hint": token.hint}
        )
        messages.success(request, _("Revoked the token “%(name)s”.") % {"name": token.name})
    return redirect("tokens")


class LoginView(auth_views.LoginView):
    """The login page: passwords unless KB_LOCAL_LOGIN is off, and a single sign-on button."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.KB_LOCAL_LOGIN:
            # The form is not even shown; a scripted POST gets a plain refusal.
            return HttpResponseForbidden(_("Password login is switched off here: use single sign-on."))
        return super().post(request, *args, **kwargs)

    def get_redirect_url(self) -> str:
        # The header's "Log in" link on the login page itself carries next=/accounts/login/:
        # after a good password that would show the login form again, as if it had failed.
        url = super().get_redirect_url()
        # …and from /accounts/login/?next=/notes/x/ it carries that page inside its own next.
        for _depth in range(3):
            parts = urlsplit(url)
            if parts.path != reverse("login"):
                break
            url = parse_qs(parts.query).get("next", [""])[0]
            if not url_has_allowed_host_and_scheme(
                url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
            ):
                url = ""
        if urlsplit(url).path in (reverse("login"), reverse("logout")):
            return ""
        return url

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["local_login"] = settings.KB_LOCAL_LOGIN
        context["sso"] = settings.KB_OIDC_ENABLED
        context["sso_failed"] = self.request.GET.get("sso") == "failed"
        return context


def admin_login(request: HttpRequest) -> HttpResponse:
    # One login page for the site and the admin, so switching passwords off covers both.
    target = reverse("login")
    next_url = request.GET.get("next")
    return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)


def logout(request: HttpRequest) -> HttpResponse:
    """Log out here, and at the single sign-on provider too after an SSO login."""
    if request.method != "POST":
        # A typed or bookmarked /accounts/logout/ asks first: logging out on a GET would let
        # any page log a visitor out through an image.
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if not request.user.is_authenticated:
            return redirect("/")
        return render(request, "accounts/logout.html")
    from accounts.oidc import logout_url

    target = logout_url(request)
    auth_logout(request)
    return redirect(target)
