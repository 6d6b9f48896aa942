"""The webhook worker: claim due deliveries, POST them, record what happened.

Claiming is ``FOR UPDATE SKIP LOCKED`` in a short transaction that sets a lease and
commits before any HTTP: several workers share the queue without waiting on each
other or on note saves, and a worker killed mid-send only delays its rows until the
lease runs out. A failed attempt is retried with exponential backoff until
``KB_WEBHOOK_MAX_ATTEMPTS``; receivers de-duplicate on the ``X-Kb-Delivery`` header.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from webhooks.models import Delivery
from webhooks.signing import HEADER, sign

log = logging.getLogger(__name__)

LEASE_SECONDS = 120
CLAIM = """
WITH picked AS (
    SELECT id FROM webhooks_delivery
    WHERE status = 'pending' AND next_attempt_at <= %(now)s
      AND (claimed_until IS NULL OR claimed_until < %(now)s)
    ORDER BY next_attempt_at, id LIMIT %(limit)s FOR UPDATE SKIP LOCKED
)
UPDATE webhooks_delivery d SET claimed_until = %(now)s + make_interval(secs => %(lease)s)
FROM picked WHERE d.id = picked.id
RETURNING d.id
"""


def claim(limit: int = 10) -> list[Delivery]:
    with transaction.atomic(), connection.cursor() as cursor:
        # The clock of this process, as next_attempt_at was set with it (and now()
        # would be the start of an enclosing transaction).
        cursor.execute(CLAIM, {"limit": limit, "lease": LEASE_SECONDS, "now": timezone.now()})
        ids = [row[0] for row in cursor.fetchall()]
    return list(
        Delivery.objects.filter(pk__in=ids).select_related("webhook").order_by("next_attempt_at", "pk")
    )


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: base, 2×base, 4×base … capped at an hour."""
    base = settings.KB_WEBHOOK_RETRY_SECONDS
    return timedelta(seconds=min(base * 2 ** (attempts - 1), 3600))


def post(delivery: Delivery) -> tuple[int | None, str]:
    """Send one delivery; return (HTTP status or None, error text)."""
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    request = urllib.request.Request(
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "kb-webhooks/1",
            "X-Kb-Event": delivery.event,
            "X-Kb-Delivery": str(delivery.pk),
            HEADER: sign(delivery.webhook.secret, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.KB_WEBHOOK_TIMEOUT) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code} {exc.reason}"[:300]
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, str(reason)[:300] or exc.__class__.__name__


def attempt(delivery: Delivery) -> bool:
    started = time.monotonic()
    status, error = post(delivery)
    now = timezone.now()
    ok = status is not None and 200 <= status < 300
    delivery.attempts += 1
    delivery.log = [
        *delivery.log,
        {
            "at": now.isoformat(),
            "status": status,
            "error": error,
            "ms": round((time.monotonic() - started) * 1000),
        },
    ]
    delivery.last_status_code, delivery.last_error = status, error
    delivery.claimed_until = None
    if ok:
        delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, now
    elif delivery.attempts >= settings.KB_WEBHOOK_MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(
        update_fields=[
            "attempts", "log", "last_status_code", "last_error", "claimed_until",
            "status", "delivered_at", "next_attempt_at",
        ]
    )  # fmt: skip
    if not ok:
        log.info("webhook %s delivery %s failed (%s): %s", delivery.webhook, delivery.pk, status, error)
    return ok


def run_once(limit: int = 10) -> int:
    """Send every delivery that is due now; return how many were attempted."""
    done = 0
    while batch := claim(limit):
        for delivery in batch:
            attempt(delivery)
            done += 1
    return done


def purge_old() -> int:
    """Forget finished deliveries older than KB_WEBHOOK_LOG_DAYS; pending ones stay."""
    cutoff = timezone.now() - timedelta(days=settings.KB_WEBHOOK_LOG_DAYS)
    deleted, _ = (
        Delivery.objects.exclude(status=Delivery.Status.PENDING).filter(created_at__lt=cutoff).delete()
    )
    return deleted


def watch(poll_seconds: float = 5.0, stop=lambda: False) -> None:
    """Deliver forever: woken by NOTIFY after each commit, polling for retries that fall due."""
    from webhooks.receivers import CHANNEL

    with connection.cursor() as cursor:
        cursor.execute(f"LISTEN {CHANNEL}")
    pg = connection.connection
    purged_at = 0.0
    while not stop():
        if time.monotonic() - purged_at > 3600:
            purged_at = time.monotonic()
            purge_old()
        run_once()
        # Wait for a wake-up or the next poll; drain queued notifications either way.
        for _ in pg.notifies(timeout=poll_seconds, stop_after=1):
            pass
