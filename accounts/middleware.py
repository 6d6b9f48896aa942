"""Bearer-token login for scripts, and the private-site safety net."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from accounts.access import can_read, login_redirect, unauthorized
from accounts.models import TOKEN_PREFIX, ApiToken

# Reachable without a login even on a private site.
# /s/ is a share link: its view checks the secret token instead of a login.
OPEN_PREFIXES = ("/accounts/login/", "/healthz", "/i18n/", "/admin/login/", "/favicon.ico", "/s/", "/oidc/")
# Machine-facing URLs: answer 401 instead of redirecting to a login page.
API_PREFIXES = ("/api/",)
PLAIN_PREFIXES = ("/q/", "/changes/feed/", "/opensearch.xml")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def bearer_token(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


class ApiTokenMiddleware:
    """``Authorization: Bearer kb_…`` signs a read-only request in as the token's user.

    Tokens only work for GET/HEAD: they are for reading by scripts, and a
    request that changes data must come from a browser session with its CSRF
    token. A wrong or revoked kb token is an error, not a silent anonymous read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = bearer_token(request)
        # Bearer values that are not ours (say, from an SSO proxy in front) are
        # left alone rather than turned into errors on every page.
        if raw is not None and raw.startswith(TOKEN_PREFIX):
            token = ApiToken.objects.for_raw(raw) if request.method in SAFE_METHODS else None
            if token is None:
                response = HttpResponse(
                    "invalid, revoked or misused API token\n",
                    status=401,
                    content_type="text/plain; charset=utf-8",
                )
                response["WWW-Authenticate"] = 'Bearer realm="kb", error="invalid_token"'
                return response
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
