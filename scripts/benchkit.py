"""What the benchmark scripts share: a gunicorn on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict[str, str] | None = None, warm: Callable[[str], None] | None = None):
    """Start kb under gunicorn (2 workers) and return (process, base URL) once it answers."""
    port = free_port()
    full_env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        **(env or {}),
    }
    command = [sys.executable, "-m", "gunicorn", "kb.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"]
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
