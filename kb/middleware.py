from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from kb import errors

log = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 when PostgreSQL cannot be reached during a view.

    Outages that surface in a middleware (session, API token, private site)
    reach kb.errors.server_error instead, which answers the same 503; this
    hook also covers DEBUG, where Django shows its debug page for those.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, errors.DATABASE_ERRORS):
            return None
        log.error("database unavailable: %s", exception)
        return errors.database_unavailable(request)


class RequestSanityMiddleware:
    """Refuse, with 400, requests that no view could answer sensibly.

    A NUL byte cannot be stored in or compared with PostgreSQL text, so a
    ``%00`` in a slug or a query would otherwise end as a 500 wherever it
    reached a query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return errors.bad_request(request, "NUL bytes are not allowed in URLs")
        return self.get_response(request)


def healthz(request: HttpRequest) -> HttpResponse:
    """Cheap liveness and database check: no session, template or ORM.

    The reason for a failure goes to the log only; the outside learns the
    status and nothing about sockets, hosts or users.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        log.warning("healthz: database check failed: %s", exc)
        response = JsonResponse({"status": "unavailable"}, status=503)
        response["Retry-After"] = str(errors.RETRY_AFTER_SECONDS)
    else:
        response = JsonResponse({"status": "ok"})
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answer /healthz first, before host validation, sessions and everything else.

    Container health checks call http://127.0.0.1:8000/healthz, which a
    server configured with ALLOWED_HOSTS=kb.example.com would otherwise
    reject with 400 and report itself unhealthy. Answering here also keeps the
    check cheap under load: no middleware below runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
