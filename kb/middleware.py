from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 with a readable page when PostgreSQL cannot be reached.

    Without this a lost database shows up as a bare 500; users should learn
    that their edit was not saved and that retrying later is safe.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        log.error("database unavailable: %s", exception)
        body = render_to_string("503.html", request=None)
        return HttpResponse(body, status=503, headers={"Retry-After": "10"})


class HealthCheckMiddleware:
    """Answer /healthz before host validation.

    Container health checks call http://127.0.0.1:8000/healthz, which a
    server configured with ALLOWED_HOSTS=kb.example.com would otherwise
    reject with 400 and report itself unhealthy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            from notes.views import healthz

            return healthz(request)
        return self.get_response(request)
