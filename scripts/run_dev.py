"""`make run`: the development server and the background workers as one foreground command.

The workers run beside runserver and stop with it (Ctrl-C, SIGTERM, or either one exiting),
so a newcomer sees the whole product: a saved note gets its vectors a few seconds later.

Usage: python scripts/run_dev.py PORT
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each entry is one long-running manage.py command.
WORKERS = [["embed", "--watch"], ["deliver_webhooks", "--watch"]]


def _stop(signum, frame) -> None:
    raise SystemExit(128 + signum)


def main() -> int:
    port = sys.argv[1] if len(sys.argv) > 1 else "8000"
    manage = [sys.executable, str(ROOT / "manage.py")]
    signal.signal(signal.SIGTERM, _stop)
    procs = [subprocess.Popen(manage + w, cwd=ROOT) for w in WORKERS]
    server = subprocess.Popen(manage + ["runserver", f"127.0.0.1:{port}"], cwd=ROOT)
    procs.append(server)
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        return server.poll() or 0
    except KeyboardInterrupt:
        return 130
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        deadline = time.monotonic() + 30  # a worker finishes the batch in hand
        for p in procs:
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    sys.exit(main())
