"""Bounded loopback load through the proxy while one web replica is killed (compose-test-scale).

N client threads loop over note pages, search, lookup and the API for S seconds, one request at
a time on a keep-alive connection. After K seconds the given command kills a replica. Prints
the requests, every error with its time relative to the kill, and the recovery time (from the
kill to the last failure seen; 0 when none). Standard library only: runs on the host's python3.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shlex
import statistics
import subprocess
import threading
import time
import urllib.parse

PATHS = [
    "/",
    "/notes/",
    "/search/?q=docker",
    "/api/search?q=ssh",
    "/lookup/?q=tar",
    "/api/lookup?q=git",
    "/healthz",
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--cookie", default="")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--kill-after", type=float, default=10)
    parser.add_argument("--kill-cmd", required=True)
    args = parser.parse_args()
    target = urllib.parse.urlsplit(args.url)
    results: list[tuple[float, float, str | None]] = []  # (start, seconds, error)
    lock = threading.Lock()
    start = time.monotonic()
    stop = start + args.seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        i = n
        while time.monotonic() < stop:
            path = PATHS[i % len(PATHS)]
            i += 1
            t0 = time.monotonic()
            error = None
            try:
                conn.request("GET", path, headers={"Cookie": args.cookie})
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    error = f"{response.status} {path}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__} {path}"
                conn.close()
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            with lock:
                results.append((t0, time.monotonic() - t0, error))
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    for t in threads:
        t.start()
    time.sleep(args.kill_after)
    killed = time.monotonic()
    subprocess.run(shlex.split(args.kill_cmd), check=True, capture_output=True)
    for t in threads:
        t.join()

    # When each failure was seen (its answer or dropped connection), relative to the kill.
    errors = [(t0 + d - killed, t0 - killed, e) for t0, d, e in results if e]
    before = [d * 1000 for t0, d, e in results if t0 < killed and not e]
    after = [d * 1000 for t0, d, e in results if t0 >= killed + 2 and not e]
    summary = {
        "requests": len(results),
        "rps": round(len(results) / args.seconds, 1),
        "errors": len(errors),
        # Requests sent 3 s or more after the kill that still failed: the proxy should know by then.
        "late_errors": sum(1 for _, sent, _ in errors if sent >= 3),
        # From the kill to the last failure seen (0: none after the kill).
        "recovery_s": round(max([0.0] + [seen for seen, _, _ in errors]), 2),
        "p50_ms_before": round(statistics.median(before), 1) if before else None,
        "p50_ms_after": round(statistics.median(after), 1) if after else None,
    }
    for seen, sent, e in errors:
        print(f"  error seen at {seen:+.2f} s from the kill (sent at {sent:+.2f} s): {e}")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
