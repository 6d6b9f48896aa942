"""`make run`: the development server and the background workers as one foreground command.

The workers run beside runserver and stop with it (Ctrl-C, SIGTERM, or the server exiting);
a worker that dies on its own is started again (kb.devrun). A newcomer sees the whole
product: a saved note gets its vectors a few seconds later.

Usage: python scripts/run_dev.py PORT
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.devrun import supervise  # noqa: E402

# Each entry is one long-running manage.py command.
WORKERS = [["embed", "--watch"], ["deliver_webhooks", "--watch"]]


def main() -> int:
    port = sys.argv[1] if len(sys.argv) > 1 else "8000"
    manage = [sys.executable, str(ROOT / "manage.py")]
    return supervise(
        manage + ["runserver", f"127.0.0.1:{port}"], [manage + w for w in WORKERS], cwd=str(ROOT)
    )


if __name__ == "__main__":
    sys.exit(main())
