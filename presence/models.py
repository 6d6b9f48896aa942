from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from notes.models import Note


class EditingQuerySet(models.QuerySet):
    def fresh(self) -> EditingQuerySet:
        """Editors whose last heartbeat is recent enough to count as still editing."""
        cutoff = timezone.now() - timedelta(seconds=settings.KB_EDITING_STALE_SECONDS)
        return self.filter(seen_at__gte=cutoff)

    def others_on(self, note: Note, user) -> EditingQuerySet:
        return self.fresh().filter(note=note).exclude(user=user).select_related("user").order_by("started_at")


class Editing(models.Model):
    """One user with one note open in the editor, kept alive by heartbeats."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    objects = EditingQuerySet.as_manager()

    class Meta:
        constraints = [
            # A heartbeat upserts on (note, user); the unique index also serves
            # EditingQuerySet.others_on(), which filters on note first.
            models.UniqueConstraint(fields=["note", "user"], name="editing_note_user_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.note}"

    @classmethod
    def beat(cls, note: Note, user) -> None:
        """Record that ``user`` still has ``note`` open: one upsert, whoever else is beating."""
        now = timezone.now()
        cls.objects.bulk_create(
            [cls(note=note, user=user, started_at=now, seen_at=now)],
            update_conflicts=True,
            unique_fields=["note", "user"],
            update_fields=["seen_at"],
        )

    @classmethod
    def leave(cls, note: Note, user) -> None:
        cls.objects.filter(note=note, user=user).delete()


def display_name(user) -> str:
    return user.get_full_name().strip() or user.get_username()
