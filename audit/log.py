"""Write audit events. Callers pass the request when there is one, for who and where."""

from __future__ import annotations

import logging

from django.http import HttpRequest

from audit.models import AuditEvent
from kb.clientip import client_ip

log = logging.getLogger(__name__)


def record(
    request: HttpRequest | None,
    action: str,
    *,
    target: str = "",
    detail: dict | None = None,
    actor=None,
    actor_name: str | None = None,
) -> AuditEvent:
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
    return event
