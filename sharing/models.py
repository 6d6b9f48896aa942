from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notes.models import Note


class ShareLinkQuerySet(models.QuerySet):
    def live(self) -> ShareLinkQuerySet:
        """Links that still open their note: not revoked and not expired."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def for_token(self, token: str) -> ShareLink | None:
        if not token or len(token) > 64:
            return None
        return self.live().select_related("note").filter(token=token).first()


class ShareLink(models.Model):
    """A secret, read-only address for one note that works without a login.

    The token is kept as is (not hashed) so that editors can copy the link
    again from the note: anyone who can read the database can read the note
    itself anyway.
    """

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["-created_at"]
        constraints = [
            # ShareLinkQuerySet.for_token(): every shared page view finds its link by token.
            models.UniqueConstraint(fields=["token"], name="sharelink_token_unique"),
        ]
        indexes = [
            # The note page lists its links, newest first.
            models.Index(fields=["note", "-created_at"], name="sharelink_note_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.note} ({self.token[:6]}…)"

    def get_absolute_url(self) -> str:
        return reverse("shared_note", args=[self.token])

    @classmethod
    def create(cls, note: Note, *, user, days: int | None) -> ShareLink:
        expires = timezone.now() + timedelta(days=days) if days else None
        return cls.objects.create(
            note=note, token=secrets.token_urlsafe(24), created_by=user, expires_at=expires
        )

    @property
    def live(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
