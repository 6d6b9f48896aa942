"""`make run`'s supervisor (kb.devrun) with real processes: a worker that dies comes back,
the server going away stops everything."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kb.devdb import alive

ROOT = Path(__file__).resolve().parent.parent

# A process that records its pid in a file, then waits to be stopped.
SLEEPER = "import os, sys, time; open(sys.argv[1], 'a').write(f'{os.getpid()}\\n'); time.sleep(120)"


def _pids(path: Path) -> list[int]:
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _supervisor(tmp_path: Path) -> subprocess.Popen:
    code = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from kb import devrun
        devrun.FIRST_PAUSE = 0.2
        devrun.POLL = 0.1
        sleeper = [sys.executable, "-c", {SLEEPER!r}]
        sys.exit(devrun.supervise(sleeper + [{str(tmp_path / "server")!r}], [sleeper + [{str(tmp_path / "worker")!r}]]))
        """
    )
    return subprocess.Popen([sys.executable, "-c", code])


@pytest.fixture
def supervised(tmp_path):
    """A running supervisor with its one worker and server up: (supervisor, worker pid, server pid)."""
    sup = _supervisor(tmp_path)
    try:
        assert _wait_for(lambda: _pids(tmp_path / "worker") and _pids(tmp_path / "server"))
        (worker,) = _pids(tmp_path / "worker")
        (server,) = _pids(tmp_path / "server")
        yield sup, worker, server
    finally:
        if sup.poll() is None:
            sup.terminate()
            sup.wait(30)


def test_a_killed_worker_is_started_again_and_the_server_stays(supervised, tmp_path):
    sup, first, server = supervised
    os.kill(first, signal.SIGKILL)
    assert _wait_for(lambda: len(_pids(tmp_path / "worker")) == 2), "the worker was not restarted"
    second = _pids(tmp_path / "worker")[1]
    assert second != first and alive(second)
    assert alive(server) and sup.poll() is None  # the site kept running

    os.kill(second, signal.SIGKILL)  # dies again: started again after a longer pause
    assert _wait_for(lambda: len(_pids(tmp_path / "worker")) == 3)


def test_the_server_exiting_stops_the_workers(supervised, tmp_path):
    sup, worker, server = supervised
    os.kill(server, signal.SIGKILL)
    sup.wait(30)  # the supervisor returns with the server (TimeoutExpired otherwise)
    assert _wait_for(lambda: not alive(worker)), "the worker outlived the server"
    assert len(_pids(tmp_path / "worker")) == 1  # and was not started again


def test_sigterm_stops_everything(supervised):
    sup, worker, server = supervised
    sup.terminate()
    sup.wait(30)
    assert _wait_for(lambda: not alive(worker) and not alive(server))
