"""Optional read replica (DATABASE_REPLICA_URL): read-only pages read from it, the rest from the primary.

Only GET/HEAD requests to the views in READ_ONLY_VIEWS read from the replica, and only when the
visitor has not written anything in the last KB_REPLICA_STICKY_SECONDS: every unsafe request
(a save, a login, a delete) sets a short-lived cookie that keeps the next pages on the primary,
so nobody sees their own edit vanish while the replica catches up. Writes always go to the
primary, also for objects that were read from the replica.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
STICKY_COOKIE = "kb_primary"

# URL names of views that only read. Anything else (forms, the admin, history restores, the
# editor's heartbeat) stays on the primary.
READ_ONLY_VIEWS = frozenset(
    {
        "home",
        "note_list",
        "note_detail",
        "tag_list",
        "tag_detail",
        "search",
        "api_search",
        "opensearch",
        "lookup",
        "api_lookup",
        "lookup_plain",
        "lookup_plain_usage",
        "cheatsheet",
        "media",
    }
)

_reading_replica: ContextVar[bool] = ContextVar("kb_reading_replica", default=False)


def enabled() -> bool:
    return bool(getattr(settings, "KB_READ_REPLICA", False))


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        if _reading_replica.get() and enabled():
            return REPLICA
        # Named explicitly: otherwise Django follows an instance read from the replica.
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # both aliases hold the same data

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        # A replica follows the primary by itself (streaming replication).
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        finally:
            _reading_replica.set(False)
        if enabled() and request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 500:
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.KB_REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        _reading_replica.set(
            enabled()
            and request.method in ("GET", "HEAD")
            and match is not None
            and match.url_name in READ_ONLY_VIEWS
            and STICKY_COOKIE not in request.COOKIES
        )


def read_alias() -> str:
    """The alias raw SQL of a read should use (the ORM asks the router by itself)."""
    return router.db_for_read(None)


def read_connection():
    return connections[read_alias()]
