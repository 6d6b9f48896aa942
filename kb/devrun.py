"""`make run`'s process supervisor: the server in the foreground, the workers beside it.

The server decides the lifetime: when it exits (or on Ctrl-C / SIGTERM) the workers are
stopped too, each given time to finish the batch in hand. A worker that dies on its own
(killed, out of memory, a crash) is started again after a pause that doubles while it
keeps dying, as compose's ``restart: unless-stopped`` does for the worker services, so
losing a worker never takes the site down with it.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

FIRST_PAUSE = 1.0  # seconds before a dead worker is started again
MAX_PAUSE = 30.0
HEALTHY_AFTER = 60.0  # a worker that ran this long starts its next pause from FIRST_PAUSE
STOP_GRACE = 30.0  # seconds a worker gets to finish its batch when everything stops
POLL = 0.5


@dataclass
class Worker:
    argv: list[str]
    process: subprocess.Popen | None = None
    started: float = 0.0
    pause: float = FIRST_PAUSE
    restart_at: float | None = None


def _say(message: str) -> None:
    print(f"[make run] {message}", file=sys.stderr, flush=True)


def supervise(server: Sequence[str], workers: Sequence[Sequence[str]], cwd: str | None = None) -> int:
    """Run ``server`` and ``workers`` until the server exits; returns the server's exit code."""
    signal.signal(signal.SIGTERM, _terminated)
    crew = [Worker(list(argv)) for argv in workers]
    for w in crew:
        _start(w, cwd)
    main = subprocess.Popen(list(server), cwd=cwd)
    try:
        while main.poll() is None:
            now = time.monotonic()
            for w in crew:
                _look_after(w, cwd, now)
            time.sleep(POLL)
        return main.returncode or 0
    except KeyboardInterrupt:
        return 130
    finally:
        _stop_all([w.process for w in crew] + [main])


def _terminated(signum, frame) -> None:
    raise SystemExit(128 + signum)  # through supervise's finally: the workers are stopped


def _start(w: Worker, cwd: str | None) -> None:
    w.process = subprocess.Popen(w.argv, cwd=cwd)
    w.started = time.monotonic()
    w.restart_at = None


def _look_after(w: Worker, cwd: str | None, now: float) -> None:
    if w.restart_at is not None:
        if now >= w.restart_at:
            _start(w, cwd)
        return
    code = w.process.poll() if w.process else None
    if code is None:
        return
    if now - w.started >= HEALTHY_AFTER:
        w.pause = FIRST_PAUSE
    _say(f"{' '.join(w.argv[-2:])} exited with {code}; starting it again in {w.pause:g} s")
    w.restart_at = now + w.pause
    w.pause = min(MAX_PAUSE, w.pause * 2)


def _stop_all(processes: list[subprocess.Popen | None]) -> None:
    running = [p for p in processes if p is not None and p.poll() is None]
    for p in running:
        p.terminate()
    deadline = time.monotonic() + STOP_GRACE
    for p in running:
        try:
            p.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
