"""Create the media bucket named by KB_S3_BUCKET when it does not exist yet (compose's s3-init)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from notes import media


class Command(BaseCommand):
    help = "Create the private bucket KB_S3_BUCKET names, if missing; waits up to --timeout s for the server."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=60)

    def handle(self, *args, timeout: float, **options):
        if media.on_disk():
            raise CommandError("KB_S3_BUCKET is not set")
        from botocore.exceptions import BotoCoreError, ClientError

        client = storages["default"].connection.meta.client
        bucket = settings.KB_S3_BUCKET
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.head_bucket(Bucket=bucket)
                self.stdout.write(f"bucket {bucket} exists")
                return
            except ClientError as exc:
                if media._is_missing(exc) or exc.response.get("Error", {}).get("Code") == "NoSuchBucket":
                    client.create_bucket(Bucket=bucket)  # private: no ACL, no policy
                    self.stdout.write(f"created bucket {bucket}")
                    return
                error = exc
            except BotoCoreError as exc:  # the server is not up yet
                error = exc
            if time.monotonic() > deadline:
                raise CommandError(f"cannot reach the bucket {bucket}: {error}")
            time.sleep(1)
