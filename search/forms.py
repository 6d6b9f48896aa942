from __future__ import annotations

from typing import Any

from django import forms

from notes.tags import find_tag

Q_MAX = 500
PAGE_MAX = 1000


def tag_slug(value: str) -> str:
    """The slug of a tag given as kb's links write it or as the API returns it (its name):
    `tag=lang:ja` and `tag=langja` filter alike. An unknown tag stays as given (no results)."""
    tag = find_tag(value)
    return tag.slug if tag else value


class SearchForm(forms.Form):
    """The search page: a pasted over-long query or a stale page number still searches."""

    q = forms.CharField(required=False, max_length=Q_MAX, strip=True)
    tag = forms.CharField(required=False, max_length=100, strip=True)
    page = forms.CharField(required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        if data is not None and len(data.get("q", "")) > Q_MAX:
            # Searching the first Q_MAX characters beats an error page that loses the text.
            data = data.copy()
            data["q"] = data["q"][:Q_MAX]
        super().__init__(data, **kwargs)

    def clean_tag(self) -> str:
        return tag_slug(self.cleaned_data["tag"])

    def clean_page(self) -> int:
        # Page links are made by kb; anything else (page=abc, 0) is a hand-edited URL: page 1.
        page = self.cleaned_data["page"]
        return int(page) if page.isdigit() and len(page) <= 4 and 1 <= int(page) <= PAGE_MAX else 1


class ApiSearchForm(forms.Form):
    """The JSON API keeps strict limits: a client gets a 400 naming the field."""

    q = forms.CharField(required=False, max_length=Q_MAX, strip=True)
    tag = forms.CharField(required=False, max_length=100, strip=True)
    limit = forms.IntegerField(required=False, min_value=1, max_value=100)

    def clean_tag(self) -> str:
        return tag_slug(self.cleaned_data["tag"])
