from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from notes import markdown
from notes.controls import refuse_control_characters
from notes.slugs import RESERVED, slug_for

# Tries at a free slug when simultaneous creates pick the same one.
SLUG_ATTEMPTS = 20
TAG_ATTEMPTS = 3

# Reference pages imported in bulk (manage.py import_tldr) carry import keys
# with this prefix; they are not the team's own writing.
REFERENCE_KEY_PREFIX = "tldr:"


def reference_language(import_key: str | None) -> str:
    """'tldr:ja/common/docker' -> 'ja'; '' for the team's own notes."""
    if not import_key or not import_key.startswith(REFERENCE_KEY_PREFIX):
        return ""
    return import_key.removeprefix(REFERENCE_KEY_PREFIX).split("/", 1)[0]


def twin_key(import_key: str, language: str) -> str:
    """The import key of the same reference page in another language."""
    rest = import_key.removeprefix(REFERENCE_KEY_PREFIX).split("/", 1)[1]
    return f"{REFERENCE_KEY_PREFIX}{language}/{rest}"


def hidden_reference_prefixes() -> list[str]:
    """Import-key prefixes of the reference pages this site hides (KB_HIDE_REFERENCE)."""
    hidden = settings.KB_HIDE_REFERENCE
    if "all" in hidden:
        return [REFERENCE_KEY_PREFIX]
    return [f"{REFERENCE_KEY_PREFIX}{lang}/" for lang in hidden]


class NoteQuerySet(models.QuerySet):
    def recent(self) -> NoteQuerySet:
        return self.order_by("-updated_at")

    def team_written(self) -> NoteQuerySet:
        return self.exclude(import_key__startswith=REFERENCE_KEY_PREFIX)

    def shown(self) -> NoteQuerySet:
        """Without the reference pages the site hides (settings.KB_HIDE_REFERENCE)."""
        qs = self
        for prefix in hidden_reference_prefixes():
            qs = qs.exclude(import_key__startswith=prefix)
        return qs

    def tagged(self, tag: str) -> NoteQuerySet:
        return self.filter(tags__slug=tag)

    def unique_slug(self, title: str, exclude_pk: int | None = None) -> str:
        base = slug_for(title)
        slug, n = base, 2
        while slug in RESERVED or self.exclude(pk=exclude_pk).filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


class Note(models.Model):
    title = models.CharField(_("title"), max_length=200, validators=[refuse_control_characters])
    slug = models.SlugField(_("slug"), max_length=140, allow_unicode=True)
    body = models.TextField(_("body"), blank=True)
    # Rendered once on save; pages read these instead of running Markdown.
    body_html = models.TextField(editable=False, blank=True)
    toc_html = models.TextField(editable=False, blank=True)
    render_version = models.PositiveSmallIntegerField(editable=False, default=0)
    tags = TaggableManager(_("tags"), blank=True)
    # Where an imported note came from ("file.md" or "file.md#section"), so a
    # re-import updates it instead of adding a copy.
    import_key = models.CharField(max_length=300, null=True, blank=True, editable=False)
    # Front matter keys of an imported file that kb does not read (author, date …), as
    # YAML: an export writes them back, so a round trip loses nothing.
    front_matter = models.TextField(blank=True, default="", editable=False)
    # What the last import wrote (a digest of title, body, tags and front matter): a re-import
    # that finds something else knows the note was edited here since, and says so.
    imported = models.CharField(max_length=32, blank=True, default="", editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-updated_at"]
        constraints = [
            # Note URLs and re-imports look notes up by slug.
            models.UniqueConstraint(fields=["slug"], name="note_slug_unique"),
            # import_notes finds the note to update by import_key.
            models.UniqueConstraint(fields=["import_key"], name="note_import_key_unique"),
            models.CheckConstraint(condition=~models.Q(title=""), name="note_title_not_empty"),
        ]
        indexes = [
            # Home page "recent notes" and NoteQuerySet.recent().
            models.Index(fields=["-updated_at"], name="note_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.render()
        if self.slug:
            super().save(*args, **kwargs)
            return
        # Checking for a free slug and inserting are two statements, so a
        # simultaneous create with the same title can take the slug in between.
        # The loser's insert fails on note_slug_unique inside a savepoint and
        # tries the next suffix: both texts are kept.
        for attempt in range(SLUG_ATTEMPTS):
            self.slug = Note.objects.unique_slug(self.title, exclude_pk=self.pk)
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                return
            except IntegrityError as exc:
                self.slug = ""
                if not _violates(exc, "note_slug_unique") or attempt == SLUG_ATTEMPTS - 1:
                    raise

    def get_absolute_url(self) -> str:
        return reverse("note_detail", args=[self.slug])

    @property
    def reference_language(self) -> str:
        """The language of an imported reference page (its badge); '' for the team's notes."""
        return reference_language(self.import_key)

    @property
    def reference_platform(self) -> str:
        """'tldr:en/linux/sed' -> 'linux': tldr's platform folder; '' for the team's notes."""
        if not self.reference_language:
            return ""
        parts = self.import_key.removeprefix(REFERENCE_KEY_PREFIX).split("/")
        return parts[1] if len(parts) > 2 else ""

    def render(self) -> None:
        rendered = markdown.render(self.body, self.title)
        self.body_html, self.toc_html = rendered.html, rendered.toc
        self.render_version = markdown.RENDER_VERSION

    def ensure_rendered(self) -> None:
        """Refresh HTML cached by an older renderer, without touching updated_at."""
        if self.render_version != markdown.RENDER_VERSION:
            self.render()
            Note.objects.filter(pk=self.pk).update(
                body_html=self.body_html, toc_html=self.toc_html, render_version=self.render_version
            )

    def save_with_tags(
        self,
        tags: list[str] | None = None,
        *,
        editor=None,
        message: str = "",
        message_code: str = "",
        message_params: dict | None = None,
    ) -> None:
        """Save the note and its tags in one transaction, then tell listeners.

        ``editor`` and ``message`` (typed by a person) go to the revision history, as do
        ``message_code`` and ``message_params``: a summary kb writes itself, stored as a
        code so each viewer reads it in their language (history.summaries).
        """
        from notes.signals import note_saved

        with transaction.atomic():
            self.save()
            if tags is not None:
                self._set_tags(tags)
            note_saved.send(
                sender=Note,
                note=self,
                editor=editor,
                message=message,
                message_code=message_code,
                message_params=message_params or {},
            )

    def _set_tags(self, tags: list[str]) -> None:
        # Two saves that bring the same new tag both try to create it; the
        # second fails on the tag's unique name once the first commits, and
        # on retry finds it.
        for attempt in range(TAG_ATTEMPTS):
            try:
                with transaction.atomic():
                    self.tags.set(tags)
                return
            except IntegrityError:
                if attempt == TAG_ATTEMPTS - 1:
                    raise


def _violates(exc: IntegrityError, constraint: str) -> bool:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == constraint
