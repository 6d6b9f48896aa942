from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from notes.models import Note


class Synonym(models.Model):
    """A group of words that mean the same thing (削除, 破棄, remove, rm …)."""

    words = models.TextField(_("words"), help_text=_("Equivalent words, separated by commas."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        constraints = [models.CheckConstraint(condition=~models.Q(words=""), name="synonym_words_not_empty")]

    def __str__(self) -> str:
        return self.words

    def word_list(self) -> list[str]:
        return [w.strip() for w in self.words.replace("、", ",").split(",") if w.strip()]


class SearchDocument(models.Model):
    """Derived search data of one note; rebuilt from the note on every save (see indexing)."""

    note = models.OneToOneField(Note, on_delete=models.CASCADE, primary_key=True, related_name="+")
    # App-built tsvector (search.tokenize): title A, tags and headings B, prose C, code D.
    document = SearchVectorField()
    # Title and tags only, so title hits are found first even when the body matches many notes.
    title_vector = SearchVectorField()
    title_key = models.CharField(max_length=200)  # normalize(title), for "exact title first"
    plain = models.TextField(blank=True)  # the body as text, for snippets

    class Meta:
        indexes = [
            # search.queries.search(): document @@ tsquery.
            GinIndex(fields=["document"], name="searchdoc_document_gin"),
            # search.queries.search(): title candidates, title_vector @@ tsquery.
            GinIndex(fields=["title_vector"], name="searchdoc_title_gin"),
            # search.queries.search(): exact title match, title_key = normalize(q).
            models.Index(fields=["title_key"], name="searchdoc_title_key_idx"),
        ]

    def __str__(self) -> str:
        return self.title_key


class Word(models.Model):
    """Vocabulary of the index, for typo expansion (dokcer -> docker)."""

    word = models.CharField(max_length=100, primary_key=True)
    ndoc = models.PositiveIntegerField(default=1)  # notes that have the word

    class Meta:
        indexes = [
            # search.typos.corrections(): word % %s (pg_trgm similarity).
            GinIndex(OpClass("word", name="gin_trgm_ops"), name="word_trgm_gin"),
        ]

    def __str__(self) -> str:
        return self.word


class Translation(models.Model):
    """A word and its counterpart in the other language, learnt from parallel text.

    Written by lookup.lexicon from tldr pages that exist in both Japanese and English;
    read by search.synonyms as extra query alternatives (シンボリックリンク ↔ symbolic link).
    """

    word = models.CharField(max_length=100)
    translation = models.CharField(max_length=100)
    score = models.FloatField()  # Dice coefficient over the aligned examples

    class Meta:
        constraints = [
            # lookup.lexicon.learn() replaces the table; one row per pair.
            models.UniqueConstraint(fields=["word", "translation"], name="translation_pair_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.word} → {self.translation}"
