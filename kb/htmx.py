"""Pages that htmx updates in place: one URL, the whole page or just a fragment."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_live(request: HttpRequest, page: str, fragment: str, context: dict) -> HttpResponse:
    """Render ``fragment`` for live htmx updates and ``page`` for everything else.

    htmx restoring history after Back (a cache miss) swaps the answer into
    <body>, so it needs the whole page, like a plain visit. Vary keeps the
    browser's cache from handing the fragment to Back.
    """
    live = request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    response = render(request, fragment if live else page, context)
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    return response
