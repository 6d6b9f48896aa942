from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.static import serve
from taggit.models import Tag

from accounts.access import edit_required, read_required
from notes.forms import NoteForm
from notes.models import Note


def _tag_cloud():
    return (
        Tag.objects.annotate(num=Count("taggit_taggeditem_items")).filter(num__gt=0).order_by("-num", "name")
    )


@read_required
def home(request: HttpRequest) -> HttpResponse:
    recent = Note.objects.recent().prefetch_related("tags")[:20]
    return render(request, "notes/home.html", {"recent": recent, "tags": _tag_cloud()[:40]})


@read_required
def note_detail(request: HttpRequest, slug: str) -> HttpResponse:
    note = get_object_or_404(Note.objects.prefetch_related("tags"), slug=slug)
    return render(request, "notes/detail.html", {"note": note})


@edit_required
def note_create(request: HttpRequest) -> HttpResponse:
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        note.author = request.user
        note.save_with_tags(form.cleaned_data["tags"])
        messages.success(request, _("Note created."))
        return redirect(note)
    return render(request, "notes/edit.html", {"form": form, "note": None})


@edit_required
def note_edit(request: HttpRequest, slug: str) -> HttpResponse:
    note = get_object_or_404(Note, slug=slug)
    form = NoteForm(request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        note.save_with_tags(form.cleaned_data["tags"])
        messages.success(request, _("Note saved."))
        return redirect(note)
    return render(request, "notes/edit.html", {"form": form, "note": note})


@edit_required
def note_delete(request: HttpRequest, slug: str) -> HttpResponse:
    note = get_object_or_404(Note, slug=slug)
    if request.method == "POST":
        note.delete()
        messages.success(request, _("Deleted “%(title)s”.") % {"title": note.title})
        return redirect("home")
    return render(request, "notes/delete.html", {"note": note})


@read_required
def tag_list(request: HttpRequest) -> HttpResponse:
    return render(request, "notes/tags.html", {"tags": _tag_cloud()})


@read_required
def tag_detail(request: HttpRequest, tag: str) -> HttpResponse:
    tag_obj = get_object_or_404(Tag, slug=tag)
    notes = Note.objects.filter(tags=tag_obj).order_by("title").prefetch_related("tags")
    return render(request, "notes/tag.html", {"tag": tag_obj, "notes": notes})


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        return JsonResponse(
            {"status": "error", "database": "unavailable", "detail": str(exc)[:200]}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@read_required
def media(request: HttpRequest, path: str) -> HttpResponse:
    # Uploaded images are few and small, so Django serves them, behind the
    # same read check as the notes that show them.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


@edit_required
@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    from notes.markdown import render_html

    return HttpResponse(render_html(request.POST.get("content", "")))
