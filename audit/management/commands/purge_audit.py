from django.conf import settings
from django.core.management.base import BaseCommand

from audit.log import purge


class Command(BaseCommand):
    help = "Delete audit events older than KB_AUDIT_RETENTION_DAYS (kb also does this hourly on its own)."

    def handle(self, *args, **options):
        deleted = purge()
        self.stdout.write(
            f"{deleted} audit events older than {settings.KB_AUDIT_RETENTION_DAYS} days deleted"
        )
