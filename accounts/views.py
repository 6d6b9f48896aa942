from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
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
