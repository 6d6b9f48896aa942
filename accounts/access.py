"""The one place that decides who may read, write and administer.

Views never test ``request.user`` themselves; they wear one of the decorators
below, so private mode and roles change in this file only. Roles are the
groups made by accounts' data migration:

- readers: may read (which any active account may; the group documents intent)
- editors: may also create, edit, delete and restore revisions
- admins: may also restore deleted notes from the trash

``KB_PUBLIC_READ=false`` makes reading need a login too; PrivateSiteMiddleware
applies the same ``can_read`` to every URL as a safety net.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

View = Callable[..., HttpResponse]

READERS, EDITORS, ADMINS = "readers", "editors", "admins"
ROLES = (READERS, EDITORS, ADMINS)


def roles(user) -> frozenset[str]:
    """The user's role groups, read once per request and kept on the user."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, "_kb_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._kb_roles = cached
    return cached


def can_read(user) -> bool:
    return settings.KB_PUBLIC_READ or (user.is_authenticated and user.is_active)


def can_edit(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool(roles(user) & {EDITORS, ADMINS})


def can_admin(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or ADMINS in roles(user)


def can_manage_tokens(user) -> bool:
    return user.is_authenticated and user.is_active


def login_redirect(request: HttpRequest) -> HttpResponse:
    """Send an anonymous visitor to the login page, then back.

    An htmx request (live search, lookup) would swap a 302's login page into
    its results box, so it gets ``HX-Redirect`` instead and the browser goes
    to the login page itself, returning to the page it was on, not the fragment URL.
    """
    # Built here rather than read from request.htmx: the private-site
    # middleware runs before django-htmx's middleware.
    htmx = HtmxDetails(request)
    if request.method == "POST":
        # A form sent without a session: it ended (logged out in another tab, or expired)
        # while the page was open. Say so, and where the text is.
        messages.warning(
            request,
            _(
                "You were logged out, so the form you sent was not saved. Log in and send it again;"
                " the note editor offers the draft this browser kept."
            ),
            fail_silently=True,  # the private-site middleware may answer before messages are set up
        )
    if htmx and not htmx.history_restore_request:
        back = htmx.current_url_abs_path or request.get_full_path()
        response = redirect_to_login(back)
        return HttpResponseClientRedirect(response["Location"])
    return redirect_to_login(request.get_full_path())


def token_out_of_scope(writes: bool = False) -> HttpResponse:
    """403 for an API token presented to a page that tokens may not open, or used to write."""
    what = "GET and HEAD" if writes else "API, /q/, feeds, media, pages"
    response = HttpResponse(
        f"API tokens only read ({what}); sign in with a browser for this page\n",
        status=403,
        content_type="text/plain; charset=utf-8",
    )
    response["WWW-Authenticate"] = 'Bearer realm="kb", error="insufficient_scope"'
    return response


def _guard(check: Callable[[object], bool], *, tokens: bool = False) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            # Tokens are for scripts that read; a page that writes or manages
            # accounts needs a browser session, even for a GET of its form.
            if not tokens and getattr(request, "api_token", None) is not None:
                return token_out_of_scope()
            if check(request.user):
                return view(request, *args, **kwargs)
            if request.user.is_authenticated:
                raise PermissionDenied
            return login_redirect(request)

        return wrapped

    return decorator


read_required = _guard(can_read, tokens=True)
edit_required = _guard(can_edit)
admin_required = _guard(can_admin)
login_required = _guard(can_manage_tokens)


def unauthorized(request: HttpRequest, *, json: bool) -> HttpResponse:
    """401 for anonymous callers, 403 for signed-in ones, without a redirect."""
    status = 403 if request.user.is_authenticated else 401
    message = "permission denied" if status == 403 else "authentication required"
    if json:
        response: HttpResponse = JsonResponse({"error": message}, status=status)
    else:
        response = HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="kb"'
    return response


def _refusing(json: bool) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if can_read(request.user):
                return view(request, *args, **kwargs)
            return unauthorized(request, json=json)

        return wrapped

    return decorator


# Like read_required, but 401/403 instead of a redirect: JSON for /api/…, text
# for feeds and /q/…. ``Authorization: Bearer <token>`` counts as a login
# (accounts.middleware.ApiTokenMiddleware sets ``request.user``).
api_read_required = _refusing(json=True)
plain_read_required = _refusing(json=False)


def context(request: HttpRequest) -> dict:
    user = request.user
    return {"can_edit": can_edit(user), "can_read": can_read(user), "can_admin": can_admin(user)}
