"""Bearer-token login for scripts, and the private-site safety net."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from accounts.access import can_read, login_redirect, token_out_of_scope, unauthorized
from accounts.models import TOKEN_PREFIX, ApiToken
from kb.errors import API_PREFIXES, PLAIN_PREFIXES

# Reachable without a login even on a private site.
# The shell widget's scripts are the same code for everyone (no notes in them), and
# `eval "$(curl …/shell/kb.bash)"` must work before the shell has its token.
# /s/ is a share link: its view checks the secret token instead of a login.
OPEN_PREFIXES = (
    "/accounts/login/",
    "/healthz",
    "/i18n/",
    "/admin/login/",
    "/favicon.ico",
    "/shell/kb.",
    "/s/",
    "/oidc/",
)
# Pages an API token never opens, whoever owns it (see also access.py's guards).
TOKENLESS_PREFIXES = ("/admin/",)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def bearer_token(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


INVALID_TOKEN = "invalid or revoked API token"


def invalid_token(request: HttpRequest) -> HttpResponse:
    """401 in the caller's format: JSON under /api/ (like an anonymous call), text elsewhere."""
    if request.path_info.startswith(API_PREFIXES):
        response: HttpResponse = JsonResponse({"error": INVALID_TOKEN}, status=401)
    else:
        response = HttpResponse(INVALID_TOKEN + "\n", status=401, content_type="text/plain; charset=utf-8")
    response["WWW-Authenticate"] = 'Bearer realm="kb", error="invalid_token"'
    return response


class ApiTokenMiddleware:
    """``Authorization: Bearer kb_…`` signs a read-only request in as the token's user.

    Tokens only work for GET/HEAD: they are for reading by scripts, and a
    request that changes data must come from a browser session with its CSRF
    token. A wrong or revoked kb token is an error, not a silent anonymous read.
    The admin site refuses tokens outright (here), and so does every page behind
    edit_required, admin_required or login_required (accounts.access), even for
    a GET: a leaked token cannot reach what only a browser session should.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = bearer_token(request)
        # Bearer values that are not ours (say, from an SSO proxy in front) are
        # left alone rather than turned into errors on every page.
        if raw is not None and raw.startswith(TOKEN_PREFIX):
            if request.path_info.startswith(TOKENLESS_PREFIXES):
                return token_out_of_scope()
            token = ApiToken.objects.for_raw(raw)
            if token is None:
                return invalid_token(request)
            if request.method not in SAFE_METHODS:
                # A good token, used to write: say what tokens are for, not that it is wrong.
                return token_out_of_scope(writes=True)
            token.touch()
            request.user = token.user
            request.api_token = token
        return self.get_response(request)


class PrivateSiteMiddleware:
    """With KB_PUBLIC_READ=false, nothing but the login page is served to strangers.

    Views check access themselves (accounts.access decorators); this covers
    every URL again, including ones added later, so a forgotten decorator
    cannot leak a note.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        static = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
        self.open_prefixes = (*OPEN_PREFIXES, static)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.KB_PUBLIC_READ or can_read(request.user):
            return self.get_response(request)
        path = request.path_info
        if path.startswith(self.open_prefixes):
            return self.get_response(request)
        if path.startswith(API_PREFIXES):
            return unauthorized(request, json=True)
        if path.startswith(PLAIN_PREFIXES):
            return unauthorized(request, json=False)
        return login_redirect(request)
