from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.access import can_edit, read_required
from links.linking import resolve
from notes.mdrules import normalize


@read_required
def wiki(request: HttpRequest, name: str) -> HttpResponse:
    """Where [[name]] leads: the note of that slug or title (or former title)."""
    name = name.strip()
    if "\x00" in name or len(name) > 200:
        # No note has such a name (titles are at most 200 characters, without NUL).
        return render(request, "links/missing.html", {"name": name[:200].replace("\x00", "")}, status=404)
    note = resolve([name]).get(normalize(name)) if name else None
    if note is not None:
        return redirect(note)
    if can_edit(request.user):
        return redirect(f"{reverse('note_create')}?title={quote(name[:200], safe='')}")
    return render(request, "links/missing.html", {"name": name}, status=404)
