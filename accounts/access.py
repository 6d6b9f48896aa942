"""The one place that decides who may read and who may write.

Views never test ``request.user`` themselves; they wear one of the decorators
below, so private mode and roles change in this file only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse

View = Callable[..., HttpResponse]


def can_read(user) -> bool:
    return settings.KB_PUBLIC_READ or (user.is_authenticated and user.is_active)


def can_edit(user) -> bool:
    return user.is_authenticated and user.is_active


def _guard(check: Callable[[object], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if check(request.user):
                return view(request, *args, **kwargs)
            if request.user.is_authenticated:
                raise PermissionDenied
            return redirect_to_login(request.get_full_path())

        return wrapped

    return decorator


read_required = _guard(can_read)
edit_required = _guard(can_edit)


def api_read_required(view: View) -> View:
    """Like read_required, but answers JSON 401/403 instead of redirecting."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if can_read(request.user):
            return view(request, *args, **kwargs)
        status = 403 if request.user.is_authenticated else 401
        return JsonResponse({"error": "authentication required"}, status=status)

    return wrapped


def context(request: HttpRequest) -> dict:
    user = request.user
    return {"can_edit": can_edit(user), "can_read": can_read(user)}
