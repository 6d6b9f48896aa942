from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notes import markdown
from notes.models import Note


class RevisionQuerySet(models.QuerySet):
    def of(self, note_key: int) -> RevisionQuerySet:
        return self.filter(note_key=note_key).order_by("-number")

    def latest_number(self, note_key: int) -> int:
        last = self.of(note_key).values_list("number", flat=True).first()
        return last or 0

    def recent(self) -> RevisionQuerySet:
        """Hand edits for /changes/ and its feed; bulk-import revisions stay on each note's history."""
        return (
            self.exclude(kind=Revision.Kind.IMPORT)
            .select_related("author", "note")
            .order_by("-created_at", "-pk")
        )

    def bulk_imported(self) -> RevisionQuerySet:
        return self.filter(kind=Revision.Kind.IMPORT)

    def deleted_notes(self) -> RevisionQuerySet:
        """The last revision of every note that no longer exists (the trash)."""
        return (
            self.filter(note__isnull=True, kind=Revision.Kind.DELETE)
            .exclude(note_key__in=Note.objects.values("pk"))
            .order_by("note_key", "-number")
            .distinct("note_key")
        )


class Revision(models.Model):
    """One saved state of a note: a snapshot, so it outlives the note itself."""

    class Kind(models.TextChoices):
        EDIT = "edit", _("edit")
        DELETE = "delete", _("delete")
        # Written in bulk by an importer of reference pages (import_tldr):
        # kept for history and diffs, left out of /changes/ and the feed.
        IMPORT = "import", _("bulk import")

    note = models.ForeignKey(Note, null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions")
    # The note's id, kept after the note is deleted: its revisions stay
    # together, and restoring recreates the note under the same id.
    note_key = models.BigIntegerField()
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EDIT)
    title = models.CharField(_("title"), max_length=200)
    slug = models.CharField(max_length=140)
    body = models.TextField(blank=True)
    # Rendered when recorded (copied from the note), so revision and trash
    # pages never run Markdown on a GET.
    body_html = models.TextField(blank=True, editable=False)
    render_version = models.PositiveSmallIntegerField(default=0, editable=False)
    tags = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(_("message"), max_length=200, blank=True)  # typed by a person
    # A summary kb wrote itself (history.summaries): shown in each viewer's language.
    message_code = models.CharField(max_length=30, blank=True)
    message_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            # History, diff and conflict checks look revisions up by (note_key, number);
            # the unique index also serves "latest revision of a note".
            models.UniqueConstraint(fields=["note_key", "number"], name="revision_note_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="revision_number_positive"),
        ]
        indexes = [
            # Recent changes page and feed (RevisionQuerySet.recent): newest
            # revisions first, without the thousands a bulk import writes at once.
            models.Index(
                fields=["-created_at"],
                name="revision_recent_idx",
                condition=~models.Q(kind="import"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("revision_detail", args=[self.slug, self.number])

    def html(self) -> str:
        """The revision's HTML; rendered (once) only if an older renderer stored it."""
        if self.render_version != markdown.RENDER_VERSION:
            self.body_html = markdown.render(self.body, self.title).html
            self.render_version = markdown.RENDER_VERSION
            Revision.objects.filter(pk=self.pk).update(
                body_html=self.body_html, render_version=self.render_version
            )
        return self.body_html

    @property
    def summary(self) -> str:
        """The edit summary as the viewer reads it."""
        if self.message_code:
            from history.summaries import render

            return render(self.message_code, self.message_params)
        return self.message

    @property
    def tag_list(self) -> str:
        return ", ".join(self.tags)

    def same_content(self, title: str, body: str, tags: list[str]) -> bool:
        return (self.title, self.body, sorted(t.lower() for t in self.tags)) == (
            title,
            body,
            sorted(t.lower() for t in tags),
        )
