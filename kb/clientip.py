"""The client's address: REMOTE_ADDR (KB_TRUSTED_PROXIES extends this behind a proxy)."""

from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
