from __future__ import annotations

import logging

from django.db import connection, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from history.models import Revision
from webhooks.events import event_for, payload
from webhooks.models import Delivery, Webhook

log = logging.getLogger(__name__)
CHANNEL = "kb_webhooks"


@receiver(post_save, sender=Revision, dispatch_uid="webhooks.enqueue")
def enqueue(sender, instance: Revision, created: bool, **kwargs) -> None:
    """Queue one delivery per listening webhook, in the saving transaction.

    Only rows are written here (an outbox): the worker sends them after the
    commit, so a slow or dead endpoint never holds up a save, and a rolled-back
    save sends nothing.
    """
    if not created:
        return
    previous = Revision.objects.filter(note_key=instance.note_key, number=instance.number - 1).first()
    event = event_for(instance, previous)
    if event is None:
        return
    hooks = list(Webhook.objects.listening_to(event))
    if not hooks:
        return
    body = payload(event, instance, previous)
    Delivery.objects.bulk_create([Delivery(webhook=hook, event=event, payload=body) for hook in hooks])
    transaction.on_commit(wake_workers)


def wake_workers() -> None:
    # A waiting worker (LISTEN kb_webhooks) starts at once instead of at its next poll.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])
    except Exception:  # noqa: BLE001 - the poll picks the rows up anyway
        log.warning("could not notify webhook workers", exc_info=True)
