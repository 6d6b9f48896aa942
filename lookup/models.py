from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from notes.frontmatter import tag_name


def entry_tag(text: str) -> str:
    """A tag as entries store it and the cheatsheet looks it up: NFKC and lower case
    (ＤＯＣＫＥＲ, Docker and docker are one tag)."""
    return tag_name(text).lower()


# Limits for what a form, an import or a note's extraction may put in an entry.
# A real command line is a few hundred characters; a longer one is text pasted
# by mistake (or on purpose) and would only slow every lookup that meets it.
MAX_COMMAND_CHARS = 1000
MAX_EXPLANATION_CHARS = 2000
MAX_TASK_CHARS = 300
MAX_TASKS = 20
MAX_TAG_CHARS = 100
MAX_TAGS = 20


class TsVectorLiteralField(SearchVectorField):
    """A tsvector written from the text that search.tokenize builds.

    The literal is cast, not parsed by a text search configuration, so the
    lexemes are exactly the shared tokenizer's (PostgreSQL cannot split Japanese).
    """

    def get_placeholder(self, value, compiler, connection) -> str:
        return "%s::tsvector"


class EntryQuerySet(models.QuerySet):
    def lookup(self, q: str, limit: int = 10) -> list[Entry]:
        """The best ``limit`` entries for ``q``, each command once, in the viewer's language."""
        from django.utils.translation import get_language

        from lookup.ranking import lookup

        return lookup(self.shown(), q, limit, language=get_language())

    def shown(self) -> EntryQuerySet:
        """Without the entries of reference pages the site hides (settings.KB_HIDE_REFERENCE)."""
        from notes.models import hidden_reference_prefixes

        qs = self
        for prefix in hidden_reference_prefixes():
            qs = qs.exclude(note__import_key__startswith=prefix)
        return qs

    def tagged(self, tag: str) -> EntryQuerySet:
        return self.filter(tags__contains=[entry_tag(tag)])  # /cheatsheet/ＤＩＳＫ/ is disk's

    def of_note(self, note) -> EntryQuerySet:
        return self.filter(note=note).order_by("position", "pk")


class Entry(models.Model):
    class Origin(models.TextChoices):
        EXTRACTED = "extracted", _("extracted from a note")
        TLDR = "tldr", _("tldr page")
        MANUAL = "manual", _("written by hand")

    # One or more ways to say the task; the first is the one shown.
    tasks = ArrayField(models.CharField(max_length=MAX_TASK_CHARS), size=MAX_TASKS, verbose_name=_("tasks"))
    command = models.TextField(_("command"), max_length=MAX_COMMAND_CHARS)
    explanation = models.TextField(_("explanation"), max_length=MAX_EXPLANATION_CHARS, blank=True)
    tags = ArrayField(
        models.CharField(max_length=MAX_TAG_CHARS), default=list, blank=True, verbose_name=_("tags")
    )
    note = models.ForeignKey(
        "notes.Note", null=True, blank=True, on_delete=models.CASCADE, related_name="lookup_entries"
    )
    anchor = models.CharField(_("heading anchor"), max_length=200, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    language = models.CharField(max_length=8, default="ja")
    position = models.PositiveIntegerField(default=0)  # order within its note
    # Literal leading words of the command ("docker network ls"): exact-command ranking.
    command_key = models.CharField(max_length=100, blank=True, editable=False)
    command_len = models.PositiveSmallIntegerField(default=0, editable=False)
    # Ranking prior in 0..1 (see lookup/popularity.py); the team's own entries get 0.8.
    popularity = models.FloatField(default=0.8, editable=False)
    search_vector = TsVectorLiteralField(null=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("lookup entry")
        verbose_name_plural = _("lookup entries")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(command=""), name="lookup_entry_command_not_empty"),
            # TextField's max_length only reaches forms; these hold for every writer.
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("command"), MAX_COMMAND_CHARS),
                name="lookup_entry_command_length",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("explanation"), MAX_EXPLANATION_CHARS),
                name="lookup_entry_explanation_length",
            ),
            models.CheckConstraint(condition=~models.Q(tasks=[]), name="lookup_entry_has_task"),
            # Derived entries die with their note; only hand-written ones may stand alone.
            models.CheckConstraint(
                condition=models.Q(origin="manual") | models.Q(note__isnull=False),
                name="lookup_entry_note_unless_manual",
            ),
        ]
        indexes = [
            # ranking.lookup(): WHERE search_vector @@ tsquery.
            GinIndex(fields=["search_vector"], name="lookup_entry_vector_gin"),
            # EntryQuerySet.tagged(): the cheatsheet page (tags @> ARRAY[tag]).
            GinIndex(fields=["tags"], name="lookup_entry_tags_gin"),
            # EntryQuerySet.of_note(): note pages and replacing a note's extracted entries.
            models.Index(fields=["note", "position"], name="lookup_entry_note_idx"),
            # ranking.lookup(): entries whose command is exactly what was typed ("ls").
            models.Index(fields=["command_key"], name="lookup_entry_cmdkey_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task} → {self.command}"

    def save(self, *args, **kwargs) -> None:
        from lookup.indexing import prepare

        prepare(self)
        super().save(*args, **kwargs)

    @property
    def task(self) -> str:
        return self.tasks[0] if self.tasks else ""

    def note_url(self) -> str:
        if not self.note_id:
            return ""
        url = self.note.get_absolute_url()
        return f"{url}#{self.anchor}" if self.anchor else url
