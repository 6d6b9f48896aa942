from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection


class Command(BaseCommand):
    help = "Wait until the database accepts connections (containers start before PostgreSQL is ready)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=60.0, help="seconds to keep trying")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between tries")

    def handle(self, *args, timeout: float, interval: float, **options):
        settings = connection.settings_dict
        where = (
            f"{settings.get('HOST') or 'local socket'}:{settings.get('PORT') or 5432}/{settings.get('NAME')}"
        )
        deadline = time.monotonic() + timeout
        attempt = 0
        while True:
            attempt += 1
            try:
                connection.ensure_connection()
                break
            except DatabaseError as exc:
                connection.close()
                reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                if time.monotonic() >= deadline:
                    raise CommandError(
                        f"database {where} still unreachable after {timeout:.0f} s: {reason}. "
                        "Is the db service running, and do POSTGRES_PASSWORD and DATABASE_URL match?"
                    ) from exc
                self.stderr.write(f"waiting for database {where} (try {attempt}): {reason}")
                time.sleep(interval)
        self.stdout.write(f"database {where} is up")
