"""Error answers in the format the caller reads: JSON for /api/…, plain text
for /q/…, feeds and OpenSearch, a page for everything else.

Nothing here touches the database or the session: these answers must work
while PostgreSQL is down and before the session has been loaded.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

log = logging.getLogger(__name__)

# URL families; accounts.middleware uses the same prefixes for 401s.
API_PREFIXES = ("/api/",)
PLAIN_PREFIXES = ("/q/", "/changes/feed/", "/opensearch.xml")
RETRY_AFTER_SECONDS = 10
DATABASE_ERRORS = (OperationalError, InterfaceError)


def family(request: HttpRequest) -> str:
    path = request.path_info
    if path.startswith(API_PREFIXES):
        return "json"
    if path.startswith(PLAIN_PREFIXES):
        return "text"
    return "html"


def plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """400 without a template lookup that could itself fail on odd input."""
    kind = family(request)
    if kind == "json":
        return JsonResponse({"error": message}, status=400)
    if kind == "text":
        return plain(message, 400)
    body = render_to_string("400.html", {"message": message}, request=None)
    return HttpResponse(body, status=400)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    kind = family(request)
    if kind == "json":
        response: HttpResponse = JsonResponse({"error": "database unavailable"}, status=503)
    elif kind == "text":
        response = plain("database unavailable, nothing was saved; try again shortly", 503)
    else:
        response = HttpResponse(render_to_string("503.html", request=None), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage anywhere (middleware included) is a 503.

    Django turns an exception raised in any middleware into a response with
    this handler while the exception is still being handled, so it is the one
    place that sees outages from the session, token and private-site layers
    as well as from views.
    """
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return database_unavailable(request)
    if family(request) == "json":
        return JsonResponse({"error": "internal server error"}, status=500)
    if family(request) == "text":
        return plain("internal server error", 500)
    return defaults.server_error(request)


def bad_request_handler(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: also raised before authentication (a bad Host header), so no request context."""
    return bad_request(request, "")
