"""Vectors derived from notes and lookup entries.

Rows are written cheaply when their source changes (text and digest, no vector) and the
``embed`` worker fills ``embedding`` later, so a save never waits for the model. A row
needs work when it has no vector or one from another model (``VectorQuerySet.stale``).

``embedding`` is an unsized ``vector`` so that any model's dimension fits; each dimension
in use gets its own partial HNSW index over ``embedding::vector(N)`` (see ``vectors.index``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from pgvector.django import VectorField


class VectorQuerySet(models.QuerySet):
    def stale(self, model: str) -> VectorQuerySet:
        """Rows the worker must embed for ``model``."""
        return self.filter(Q(embedding__isnull=True) | ~Q(model=model))

    def current(self, model: str) -> VectorQuerySet:
        return self.filter(embedding__isnull=False, model=model)


class Embedded(models.Model):
    """What every row the worker embeds has: the vector, its model, and the worker's lease."""

    model = models.CharField(max_length=100, blank=True)
    dims = models.PositiveSmallIntegerField(default=0)
    embedding = VectorField(null=True, blank=True)
    # A worker's lease: set while it embeds the row, so others skip it; expires if it dies.
    claimed_until = models.DateTimeField(null=True, blank=True)

    objects = VectorQuerySet.as_manager()

    class Meta:
        abstract = True


class NoteChunk(Embedded):
    """One heading section of a note (title in front), embedded as a passage."""

    note = models.ForeignKey("notes.Note", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField()  # what is embedded, and the snippet of a hit found by meaning
    # An imported reference page (tldr): search.meaning asks for the team's own notes apart,
    # through a partial HNSW index WHERE NOT reference (vectors.index).
    reference = models.BooleanField(default=False)
    digest = models.CharField(max_length=32)  # md5 of text
    # md5 of the note's title and body when chunked: the sweep finds notes changed without a signal.
    source_digest = models.CharField(max_length=32)

    class Meta:
        constraints = [
            # sync.chunk_notes() upserts ON CONFLICT (note_id, position).
            models.UniqueConstraint(fields=["note", "position"], name="notechunk_note_position_unique"),
        ]
        indexes = [
            # worker.claim(): WHERE embedding IS NULL (the queue of work).
            models.Index(fields=["id"], condition=Q(embedding__isnull=True), name="notechunk_todo_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.note_id}#{self.position}"


class EntryVector(Embedded):
    """A lookup entry's task, command and page description, embedded as a passage."""

    entry = models.OneToOneField("lookup.Entry", on_delete=models.CASCADE, primary_key=True, related_name="+")
    note = models.ForeignKey("notes.Note", null=True, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    digest = models.CharField(max_length=32)  # md5 of the entry's fields (see sync.ENTRY_DIGEST)
    # Taken from a reference page (tldr): lookup asks for the team's own entries apart,
    # through a partial HNSW index WHERE NOT reference (vectors.index).
    reference = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # worker.claim(): WHERE embedding IS NULL (the queue of work).
            models.Index(fields=["entry"], condition=Q(embedding__isnull=True), name="entryvector_todo_idx"),
        ]

    def __str__(self) -> str:
        return str(self.entry_id)


class WordVector(Embedded):
    """A word that a query word may translate into, embedded alone (vectors.words).

    English words come from the English entries' tasks, Japanese ones from the team's notes.
    """

    text = models.CharField(max_length=100, unique=True)  # the word; "text" as the worker reads it
    language = models.CharField(max_length=2, default="en")
    digest = models.CharField(max_length=32)  # md5 of text, for the worker's write-back check

    class Meta:
        indexes = [
            # worker.claim(): WHERE embedding IS NULL (the queue of work).
            models.Index(fields=["id"], condition=Q(embedding__isnull=True), name="wordvector_todo_idx"),
        ]

    def __str__(self) -> str:
        return self.text


class QueryVector(models.Model):
    """A query's vector, kept for every process and server (vectors.search.query_vectors).

    Each web process also keeps its own recent ones, but the next keystroke of the same
    person may reach another process: this table is the cache they share. It is a cache:
    UNLOGGED (migration 0007), so a crash may empty it, and the worker deletes old rows.
    """

    key = models.UUIDField(primary_key=True)  # md5 of model and text (vectors.search.query_key)
    model = models.CharField(max_length=100)
    embedding = VectorField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # vectors.search.forget_old_queries(): DELETE ... WHERE created < cutoff.
            models.Index(fields=["created"], name="queryvector_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.model}:{self.key}"
