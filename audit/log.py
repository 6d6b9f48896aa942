"""Write audit events: who did what, when and from which address.

Views pass their request; code reached through signals (logins, role changes,
deletions) finds the request of the current thread through the middleware, and
commands have none (the address stays empty).
"""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar

from django.http import HttpRequest

from audit.models import AuditEvent
from kb.clientip import client_ip

log = logging.getLogger(__name__)

current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)
PURGE_EVERY_SECONDS = 3600
_last_purge = 0.0


class AuditRequestMiddleware:
    """Keep the request at hand for audit events recorded from signal receivers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def record(
    request: HttpRequest | None,
    action: str,
    *,
    target: str = "",
    detail: dict | None = None,
    actor=None,
    actor_name: str | None = None,
) -> AuditEvent:
    request = request if request is not None else current_request.get()
    user = actor if actor is not None else getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    name = actor_name if actor_name is not None else (user.get_username() if user else "")
    event = AuditEvent.objects.create(
        actor=user,
        actor_name=name[:150],
        action=action,
        target=str(target)[:300],
        address=client_ip(request) if request is not None else None,
        detail=detail or {},
    )
    log.info("audit %s %s %s", action, name or "-", target)
    _purge_now_and_then()
    return event


def purge() -> int:
    """Delete events older than KB_AUDIT_RETENTION_DAYS; return how many."""
    deleted, _ = AuditEvent.objects.expired().delete()
    return deleted


def _purge_now_and_then() -> None:
    # Once an hour per process is plenty for a retention counted in days, and
    # keeps the log bounded without a cron job (manage.py purge_audit exists too).
    global _last_purge
    now = time.monotonic()
    if now - _last_purge > PURGE_EVERY_SECONDS:
        _last_purge = now
        purge()
