from __future__ import annotations

from django.db import models

from notes.models import Note


class LinkQuerySet(models.QuerySet):
    def waiting(self, keys: set[str]) -> LinkQuerySet:
        """Links to names no note had when they were written."""
        return self.filter(target__isnull=True, key__in=keys)


class Link(models.Model):
    """One [[name]] in a note's body: derived from the note's HTML on every save."""

    source = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="outgoing_links")
    # The name as typed inside [[…]], and its folded form (case, width, spacing)
    # that matches titles and slugs.
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200)
    # The note the name led to when the link was resolved. It stays when that
    # note is renamed, so [[Old title]] keeps working; deleting it sets NULL.
    target = models.ForeignKey(
        Note, null=True, blank=True, on_delete=models.SET_NULL, related_name="incoming_links"
    )

    objects = LinkQuerySet.as_manager()

    class Meta:
        constraints = [
            # One row per name per note; links.linking upserts on it.
            models.UniqueConstraint(fields=["source", "key"], name="link_source_key_unique"),
        ]
        indexes = [
            # Backlinks of a note page: Link.objects.filter(target=note).
            models.Index(fields=["target"], name="link_target_idx"),
            # A new or renamed note claims the links waiting for its name (LinkQuerySet.waiting).
            models.Index(
                fields=["key"], name="link_waiting_key_idx", condition=models.Q(target__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.name}"
