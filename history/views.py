from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import admin_required, edit_required, read_required
from audit import log as audit
from history import revisions
from history.diff import diff
from history.models import Revision
from notes.models import Note


def _revision(note_key: int, number: int) -> Revision:
    return get_object_or_404(Revision.objects.select_related("author"), note_key=note_key, number=number)


@read_required
def note_history(request: HttpRequest, slug: str) -> HttpResponse:
    note = get_object_or_404(Note, slug=slug)
    revs = list(Revision.objects.of(note.pk).select_related("author"))
    return render(request, "history/history.html", {"note": note, "revisions": revs})


@read_required
def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    note = get_object_or_404(Note, slug=slug)
    rev = _revision(note.pk, number)
    latest = revisions.current_number(note)
    return render(
        request, "history/revision.html", {"note": note, "rev": rev, "html": rev.html(), "latest": latest}
    )


def _number(value: str | None, default: int) -> int | None:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        return None


@read_required
def note_diff(request: HttpRequest, slug: str) -> HttpResponse:
    note = get_object_or_404(Note, slug=slug)
    latest = revisions.current_number(note)
    b = _number(request.GET.get("b"), latest)
    a = _number(request.GET.get("a"), (b or 1) - 1)
    if a is None or b is None:
        return render(
            request,
            "history/diff.html",
            {"note": note, "error": _("Revision numbers must be whole numbers.")},
            status=400,
        )
    if a > b:
        a, b = b, a
    new = _revision(note.pk, b)
    old = _revision(note.pk, a) if a >= 1 else None
    result = diff(old.body if old else "", new.body)
    context = {
        "note": note,
        "old": old,
        "new": new,
        "diff": result,
        "title_changed": old is not None and old.title != new.title,
        "tags_changed": old is not None and old.tags != new.tags,
        "latest": latest,
    }
    return render(request, "history/diff.html", context)


@edit_required
@require_POST
def revision_restore(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    note = get_object_or_404(Note, slug=slug)
    rev = _revision(note.pk, number)
    revisions.restore(rev, editor=request.user)
    audit.record(
        request, "revision.restore", target=note.title, detail={"note": note.pk, "revision": rev.number}
    )
    messages.success(request, _("Restored revision %(number)d.") % {"number": rev.number})
    return redirect(note)


@read_required
def changes(request: HttpRequest) -> HttpResponse:
    page = Paginator(Revision.objects.recent(), 50).get_page(request.GET.get("page"))
    # Bulk imports would bury hand edits: one summary line instead of thousands of rows.
    imported = Revision.objects.bulk_imported().aggregate(count=Count("pk"), latest=Max("created_at"))
    return render(request, "history/changes.html", {"page": page, "imported": imported})


@admin_required
def trash(request: HttpRequest) -> HttpResponse:
    deleted = Revision.objects.deleted_notes().select_related("author")
    deleted = sorted(deleted, key=lambda rev: rev.created_at, reverse=True)
    return render(request, "history/trash.html", {"deleted": deleted})


def _deleted(note_key: int) -> Revision:
    rev = Revision.objects.deleted_notes().filter(note_key=note_key).select_related("author").first()
    if rev is None:
        raise Http404
    return rev


@admin_required
def trash_detail(request: HttpRequest, note_key: int) -> HttpResponse:
    rev = _deleted(note_key)
    return render(request, "history/trash_detail.html", {"rev": rev, "html": rev.html()})


@admin_required
@require_POST
def trash_restore(request: HttpRequest, note_key: int) -> HttpResponse:
    _deleted(note_key)
    note = revisions.undelete(note_key, editor=request.user)
    audit.record(request, "note.restore", target=note.title, detail={"note": note.pk})
    messages.success(request, _("Restored “%(title)s”.") % {"title": note.title})
    return redirect(note)
