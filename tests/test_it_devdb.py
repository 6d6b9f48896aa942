"""The embedded development database survives any way its processes are stopped.

These tests run real processes (``manage.py runserver`` with a ``manage.py`` command
beside it, as with ``make run``) against a throw-away server in a temporary
KB_DATA_DIR, kill their process group and start again.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]
KILLS = 20

pytestmark = pytest.mark.slow


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(KB_DATA_DIR=str(data), DEBUG="1", KB_EMBEDDINGS="off", PYTHONUNBUFFERED="1")
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(data: Path) -> subprocess.CompletedProcess:
    """A fresh command that needs the database: what every start after a stop must manage."""
    return subprocess.run(
        [*MANAGE, "wait_for_db", "--timeout", "20"],
        cwd=ROOT,
        env=_env(data),
        capture_output=True,
        text=True,
        timeout=90,
    )


def _postmaster_pid(data: Path) -> int | None:
    pid_file = data / "pg" / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    return pid


def _stop_server(data: Path) -> None:
    pid = _postmaster_pid(data)
    if pid is None:
        return
    os.kill(pid, signal.SIGINT)  # PostgreSQL's "fast" shutdown
    for _ in range(100):
        if _postmaster_pid(data) is None:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


@pytest.fixture
def data_dir(tmp_path):
    # A short path: the server's unix socket name must fit in 107 bytes.
    data = Path(f"/tmp/kb-devdb-{os.getpid()}-{tmp_path.name[-12:]}")
    data.mkdir()
    yield data
    _stop_server(data)
    subprocess.run(["rm", "-rf", str(data)], check=False)


def _handles(data: Path) -> list[int]:
    return json.loads((data / "pg" / ".handle_pids.json").read_text())


def test_random_kills_of_make_run_and_a_command_never_break_the_next_start(data_dir):
    seed = int(os.environ.get("KB_KILL_SEED", time.time()))
    rng = random.Random(seed)
    first = _start(data_dir)
    assert first.returncode == 0, first.stderr
    port = _free_port()
    stops = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]
    for round_ in range(KILLS):
        # `make run`'s server and a manage.py command beside it, in one process group
        # (a terminal's Ctrl-C, a `kill -TERM -pgid` or `kill -KILL -pgid` reaches both).
        env = _env(data_dir)
        server = subprocess.Popen(
            [*MANAGE, "runserver", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            process_group=0,
        )
        beside = subprocess.Popen(
            [
                *MANAGE,
                "shell",
                "-c",
                f"from django.db import connection; connection.ensure_connection(); "
                f"import time; time.sleep({rng.uniform(0, 2):.2f})",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            process_group=server.pid,
        )
        delay, stop = rng.uniform(0.05, 2.0), rng.choice(stops)
        time.sleep(delay)
        os.killpg(server.pid, stop)
        for proc in (server, beside):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:  # never hang the suite; the check below fails
                os.killpg(server.pid, signal.SIGKILL)
                proc.wait()
        # runserver's reloaded child may outlive its parent by a moment.
        for _ in range(100):
            try:
                os.killpg(server.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        after = _start(data_dir)
        context = f"seed {seed}, round {round_}: {stop.name} after {delay:.2f}s"
        assert after.returncode == 0, f"{context}\n{after.stderr[-2000:]}"
        assert "JSONDecodeError" not in after.stderr, context
        assert isinstance(_handles(data_dir), list), context
    # The last user gone, the server stops instead of staying up forever.
    assert _start(data_dir).returncode == 0
    for _ in range(100):
        if _postmaster_pid(data_dir) is None:
            break
        time.sleep(0.1)
    assert _postmaster_pid(data_dir) is None
    assert _handles(data_dir) == []


def test_a_damaged_pid_list_is_rebuilt_on_start(data_dir):
    assert _start(data_dir).returncode == 0
    # What an older kb left when killed between truncating the file and writing it.
    (data_dir / "pg" / ".handle_pids.json").write_text("")
    again = _start(data_dir)
    assert again.returncode == 0, again.stderr
    assert "was damaged; rebuilt it" in again.stderr
    assert isinstance(_handles(data_dir), list)


def test_writes_replace_the_list_in_one_step(tmp_path, monkeypatch):
    from kb import devdb

    path = tmp_path / ".handle_pids.json"
    devdb._write_handles(path, [1, 2])

    def dies(*args):
        raise SystemExit(143)  # SIGTERM arriving between writing and renaming

    monkeypatch.setattr(os, "replace", dies)
    with pytest.raises(SystemExit):
        devdb._write_handles(path, [3])
    assert json.loads(path.read_text()) == [1, 2]
    assert [p.name for p in tmp_path.iterdir()] == [".handle_pids.json"]


def test_a_server_left_starting_is_waited_for(tmp_path):
    import threading

    from kb import devdb

    pid_file = tmp_path / "postmaster.pid"
    head = f"{os.getpid()}\n{tmp_path}\n1700000000\n\n/tmp\n\n  123 456\n"
    pid_file.write_text(head.splitlines()[0] + "\n")  # postgres writes the file in steps

    def write(text: str) -> None:  # in one step, so the reader never sees an empty file
        (tmp_path / "pid.tmp").write_text(text)
        os.replace(tmp_path / "pid.tmp", pid_file)

    def finish_starting():
        time.sleep(0.3)
        write(head + "starting\n")
        time.sleep(0.3)
        write(head + "ready\n")

    writer = threading.Thread(target=finish_starting)
    started = time.monotonic()
    writer.start()
    devdb.wait_until_settled(tmp_path, timeout=10)
    assert time.monotonic() - started >= 0.6  # returned only once "ready" was written
    writer.join()
    # A server that died while starting is not waited for.
    pid_file.write_text("999999999\n")
    started = time.monotonic()
    devdb.wait_until_settled(tmp_path, timeout=10)
    assert time.monotonic() - started < 1
