from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from markdownx.fields import MarkdownxFormField
from taggit.forms import TagField

from notes.controls import control_character, one_line, visible

# The same tag limits as an import (taggit's Tag.name and Tag.slug columns hold 100 characters).
from notes.frontmatter import IME_COMMAS, MAX_TAG_CHARS, MAX_TAGS, distinct_tags
from notes.models import Note


def check_tag_limits(tags: list[str], max_chars: int, max_count: int, length=len) -> None:
    """Raise a form error for a tag longer than ``max_chars`` (by ``length``) or too many tags."""
    for tag in tags:
        if char := control_character(tag):
            raise forms.ValidationError(
                _("The tag “%(tag)s” contains a control character (%(char)s); remove it."),
                params={"tag": visible(tag[:30]), "char": char},
            )
        if length(tag) > max_chars:
            raise forms.ValidationError(
                _("The tag “%(tag)s…” is too long (the limit is %(limit)d characters)."),
                params={"tag": tag[:30], "limit": max_chars},
            )
    if len(tags) > max_count:
        raise forms.ValidationError(
            _("Too many tags (%(count)d; the limit is %(limit)d)."),
            params={"count": len(tags), "limit": max_count},
        )


class TagsField(TagField):
    """taggit's field, reading an IME's commas as commas: 「docker、compose」 is two tags."""

    def clean(self, value):
        return super().clean(value.translate(IME_COMMAS) if isinstance(value, str) else value)


class NoteForm(forms.ModelForm):
    body = MarkdownxFormField(label=_("Body"), required=False, strip=False)
    tags = TagsField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas (、 works too), e.g. docker, compose"),
    )

    message = forms.CharField(
        label=_("Edit summary"),
        required=False,
        max_length=200,
        help_text=_("Optional: what you changed and why."),
    )
    # The revision the user started from; a save based on an older one is a
    # conflict (notes.views.note_edit).
    # A value that is no revision number (hand-edited, "abc", "-1") counts as none given:
    # the save then gets the conflict page with its text, not a form with a hidden error.
    base_revision = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Note
        fields = ["title", "body", "tags"]

    def clean_base_revision(self) -> int | None:
        value = self.cleaned_data["base_revision"].strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None

    def clean_title(self) -> str:
        title = one_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(_("A title is required."))
        if char := control_character(title):
            raise forms.ValidationError(
                _("The title contains a control character (%(char)s), which cannot be shown; remove it."),
                params={"char": char},
            )
        return title

    def clean_tags(self) -> list[str]:
        tags = distinct_tags(self.cleaned_data["tags"])
        # NFKC in slugify can lengthen a name (㍿ is four letters), so the slug is checked too.
        check_tag_limits(
            tags, MAX_TAG_CHARS, MAX_TAGS, length=lambda t: max(len(t), len(slugify(t, allow_unicode=True)))
        )
        return tags

    def clean_body(self) -> str:
        # Browsers send CRLF; store LF so exports and diffs stay clean.
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        limit = settings.KB_MAX_BODY_CHARS
        if len(body) > limit:
            raise forms.ValidationError(
                _("The body is too long (%(length)d characters; the limit is %(limit)d)."),
                params={"length": len(body), "limit": limit},
            )
        return body
