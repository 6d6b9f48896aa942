"""Single sign-on with OpenID Connect, on top of mozilla-django-oidc.

mozilla-django-oidc does the code flow with PKCE, state and nonce. This module adds
what it leaves out: the endpoints come from the issuer's discovery document
(``/.well-known/openid-configuration``, fetched on first use and cached), the ID
token's issuer, audience and expiry are checked, accounts are matched by the
issuer's stable subject rather than by e-mail, and the IdP's group claim decides the
kb role on every login (``KB_OIDC_ROLE_CLAIM`` and ``KB_OIDC_ROLES``).
"""

from __future__ import annotations

import logging
import threading
import time

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from mozilla_django_oidc import views as oidc_views
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from accounts.access import ADMINS, EDITORS, READERS, ROLES
from accounts.models import ExternalIdentity

log = logging.getLogger(__name__)

ROLE_GROUPS = {"reader": READERS, "editor": EDITORS, "admin": ADMINS}
RANK = {READERS: 1, EDITORS: 2, ADMINS: 3}
# Settings that mozilla-django-oidc reads, answered from the discovery document.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_TTL = 3600
_discovery: dict[str, tuple[float, dict]] = {}
_lock = threading.Lock()


def discovery() -> dict:
    issuer = settings.KB_OIDC_ISSUER.rstrip("/")
    with _lock:
        cached = _discovery.get(issuer)
        if cached and time.monotonic() - cached[0] < DISCOVERY_TTL:
            return cached[1]
    response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    if document.get("issuer", "").rstrip("/") != issuer:
        raise SuspiciousOperation(
            f"discovery document names issuer {document.get('issuer')!r}, not {issuer!r}"
        )
    with _lock:
        _discovery[issuer] = (time.monotonic(), document)
    return document


def forget_discovery() -> None:
    with _lock:
        _discovery.clear()


def get_settings(attr: str, *args):
    if attr in DISCOVERED:
        return discovery()[DISCOVERED[attr]]
    return import_from_settings(attr, *args)


class AuthenticationRequestView(oidc_views.OIDCAuthenticationRequestView):
    get_settings = staticmethod(get_settings)

    def __init__(self, *args, **kwargs):
        # The endpoint is looked up per request (discovery), not when the URLconf loads.
        super(oidc_views.OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not settings.KB_OIDC_ENABLED:
            from django.http import Http404

            raise Http404("single sign-on is not configured")
        self.OIDC_OP_AUTH_ENDPOINT = get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        return super().get(request)


class CallbackView(oidc_views.OIDCAuthenticationCallbackView):
    get_settings = staticmethod(get_settings)


class LogoutView(oidc_views.OIDCLogoutView):
    get_settings = staticmethod(get_settings)


def logout_url(request: HttpRequest) -> str:
    """Where logging out sends the browser: the IdP's end-session endpoint after an SSO login."""
    home = request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL))
    id_token = request.session.get("oidc_id_token")
    if not (settings.KB_OIDC_ENABLED and id_token):
        return reverse(settings.LOGOUT_REDIRECT_URL)
    try:
        end_session = discovery().get("end_session_endpoint")
    except requests.RequestException:
        log.warning("could not reach the IdP to log out there too", exc_info=True)
        end_session = None
    if not end_session:
        return reverse(settings.LOGOUT_REDIRECT_URL)
    query = urlencode(
        {"id_token_hint": id_token, "post_logout_redirect_uri": home, "client_id": settings.OIDC_RP_CLIENT_ID}
    )
    return f"{end_session}?{query}"


def claim(claims: dict, path: str):
    """A claim by dotted path: "groups", or Keycloak's "realm_access.roles"."""
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def role_for(claims: dict) -> str | None:
    """The kb role group the IdP's groups map to (highest wins), else the default role."""
    value = claim(claims, settings.KB_OIDC_ROLE_CLAIM)
    groups = [value] if isinstance(value, str) else [str(v) for v in value or []]
    # Entra ID and some others send full paths ("/kb/editors"); both forms match.
    names = set(groups) | {g.rsplit("/", 1)[-1] for g in groups}
    mapped = [ROLE_GROUPS[role] for group, role in settings.KB_OIDC_ROLES.items() if group in names]
    if mapped:
        return max(mapped, key=RANK.__getitem__)
    default = settings.KB_OIDC_DEFAULT_ROLE
    return ROLE_GROUPS.get(default)


class Backend(OIDCAuthenticationBackend):
    """Log in through the IdP; match by (issuer, subject); set the role from the groups claim."""

    get_settings = staticmethod(get_settings)

    def __init__(self, *args, **kwargs):
        # Endpoints are read when a login happens, so password logins never wait for the IdP.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802 - the name the library reads
        return get_settings("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:  # noqa: N802
        return get_settings("OIDC_OP_USER_ENDPOINT")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:  # noqa: N802
        return get_settings("OIDC_OP_JWKS_ENDPOINT")

    def authenticate(self, request, **kwargs):
        if not settings.KB_OIDC_ENABLED or request is None or "code" not in request.GET:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        issuer = settings.KB_OIDC_ISSUER.rstrip("/")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("ID token from another issuer")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        if float(payload.get("exp", 0)) < time.time() - 60:
            raise SuspiciousOperation("ID token expired")
        self._id_claims = payload
        return payload

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        subject = self._subject(claims)
        identity = ExternalIdentity.objects.filter(issuer=settings.KB_OIDC_ISSUER, subject=subject).first()
        if identity is None:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(pk=identity.user_id)

    def _subject(self, claims) -> str:
        # The userinfo's sub must be the ID token's (OpenID Connect Core 5.3.2).
        subject = str(claims.get("sub", ""))
        if getattr(self, "_id_claims", None) and str(self._id_claims.get("sub")) != subject:
            raise SuspiciousOperation("userinfo is about another subject than the ID token")
        return subject

    @transaction.atomic
    def create_user(self, claims):
        base = str(claims.get("preferred_username") or claims.get("email") or claims["sub"]).strip()[:140]
        username, n = base, 2
        while self.UserModel.objects.filter(username=username).exists():
            username, n = f"{base}-{n}", n + 1
        user = self.UserModel.objects.create_user(username, email=claims.get("email", ""))
        user.set_unusable_password()  # a password login must not open an SSO account
        user.save()
        ExternalIdentity.objects.create(
            user=user, issuer=settings.KB_OIDC_ISSUER, subject=self._subject(claims)
        )
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        changed = False
        for field, key in (("email", "email"), ("first_name", "given_name"), ("last_name", "family_name")):
            value = str(claims.get(key) or "")[:150]
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed = True
        if changed:
            user.save()
        self._set_role(user, role_for(claims))
        return user

    def _set_role(self, user, role: str | None) -> None:
        current = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        wanted = {role} if role else set()
        if current == wanted:
            return
        if current - wanted:
            user.groups.remove(*Group.objects.filter(name__in=current - wanted))
        if wanted - current:
            user.groups.add(*Group.objects.filter(name__in=wanted - current))
        user._kb_roles = None
