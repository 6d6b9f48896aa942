"""What the benchmark scripts share: a gunicorn on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database Django is connected to (unix socket or TCP)."""
    import urllib.parse

    d = settings_dict
    auth = d["USER"] + (":" + urllib.parse.quote(d["PASSWORD"]) if d["PASSWORD"] else "")
    if d["HOST"].startswith("/"):  # the embedded server listens on a unix socket
        return f"postgresql://{auth}@/{d['NAME']}?host={urllib.parse.quote(d['HOST'])}"
    return f"postgresql://{auth}@{d['HOST']}:{d['PORT'] or 5432}/{d['NAME']}?sslmode=prefer"


def collect_static() -> None:
    """Production settings (DEBUG=0) serve hashed static files: collect them as the Dockerfile does."""
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "collectstatic-only"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )


@contextmanager
def served_scratch_database(
    env: dict[str, str] | None = None, threads: int = 1
) -> Iterator[Callable[[], str]]:
    """A throw-away copy of the test database, and a function that serves it with gunicorn.

    The caller seeds the database, then calls the function for the base URL; on exit the
    server stops and the database is dropped, also after an error.
    """
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    procs = []

    def serve() -> str:
        collect_static()
        proc, base = start_gunicorn(
            {"DATABASE_URL": database_url(connection.settings_dict), **(env or {})}, threads=threads
        )
        procs.append(proc)
        return base

    try:
        yield serve
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def start_gunicorn(
    env: dict[str, str] | None = None, warm: Callable[[str], None] | None = None, threads: int = 1
):
    """Start kb under gunicorn (2 workers) and return (process, base URL) once it answers.

    ``threads`` above 1 runs the gthread worker, as the Dockerfile does (2 x 4).
    """
    port = free_port()
    full_env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        **(env or {}),
    }
    command = [sys.executable, "-m", "gunicorn", "kb.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"]
    if threads > 1:
        command += ["--worker-class=gthread", f"--threads={threads}"]
    proc = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env=full_env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            if warm:
                warm(base)
            return proc, base
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")
