from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    CREATED = "note.created", _("note created")
    UPDATED = "note.updated", _("note updated")
    DELETED = "note.deleted", _("note deleted")
    RESTORED = "note.restored", _("note restored")


class WebhookQuerySet(models.QuerySet):
    def listening_to(self, event: str) -> WebhookQuerySet:
        return self.filter(active=True, events__contains=[event])


class Webhook(models.Model):
    """An address that gets a signed POST for each chosen note event."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    events = ArrayField(models.CharField(max_length=20, choices=Event.choices), verbose_name=_("events"))
    # The HMAC-SHA256 key; shown to admins so the receiver can check signatures.
    secret = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="webhook_name_not_empty"),
            models.CheckConstraint(condition=~Q(events=[]), name="webhook_has_events"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.secret:
            self.secret = secrets.token_hex(32)
        super().save(*args, **kwargs)


class Delivery(models.Model):
    """One event for one webhook: the outbox row the worker sends, and its log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20, choices=Event.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Set while a worker sends it, so another worker skips it; a worker that dies
    # mid-send only delays the row until the lease runs out.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    # Every attempt: [{"at": iso time, "status": code or null, "error": text, "ms": duration}].
    log = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The worker's claim: pending rows whose time has come (webhooks.worker.CLAIM).
            models.Index(fields=["next_attempt_at"], name="delivery_due_idx", condition=Q(status="pending")),
            # A webhook's delivery log, newest first.
            models.Index(fields=["webhook", "-created_at"], name="delivery_webhook_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook} ({self.status})"
