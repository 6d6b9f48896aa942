from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import DataError, IntegrityError, transaction
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from taggit.models import Tag

from accounts.access import admin_required, edit_required, read_required
from history import revisions
from history.diff import diff
from history.models import Revision
from notes import exporting
from notes.forms import NoteForm
from notes.media import serve_media
from notes.models import Note
from notes.tags import find_tag


def _tag_cloud():
    return (
        Tag.objects.annotate(num=Count("taggit_taggeditem_items")).filter(num__gt=0).order_by("-num", "name")
    )


@read_required
def home(request: HttpRequest) -> HttpResponse:
    # 7,000 freshly imported tldr pages would otherwise bury what the team wrote.
    recent = Note.objects.team_written().recent().prefetch_related("tags")[:20]
    return render(request, "notes/home.html", {"recent": recent, "tags": _tag_cloud()[:40]})


@read_required
def note_detail(request: HttpRequest, slug: str) -> HttpResponse:
    note = get_object_or_404(Note.objects.prefetch_related("tags"), slug=slug)
    note.ensure_rendered()
    return render(request, "notes/detail.html", {"note": note})


TEMPLATE_TAG = "template"


def _from_template(request: HttpRequest) -> tuple[Note | None, dict]:
    """The template chosen with ?template=<slug>, and the form's starting values from it."""
    slug = request.GET.get("template")
    template = Note.objects.tagged(TEMPLATE_TAG).filter(slug=slug).first() if slug else None
    if template is None:
        return None, {}
    tags = [name for name in template.tags.names() if name.lower() != TEMPLATE_TAG]
    return template, {"body": template.body, "tags": ", ".join(sorted(tags, key=str.lower))}


@edit_required
def note_create(request: HttpRequest) -> HttpResponse:
    template, initial = _from_template(request)
    # "Create this note" links from a [[name]] no note has yet fill in the title.
    initial.setdefault("title", request.GET.get("title", "")[:200])
    form = NoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        note.author = request.user
        try:
            note.save_with_tags(
                form.cleaned_data["tags"], editor=request.user, message=form.cleaned_data["message"]
            )
        except (IntegrityError, DataError):
            # Slug races are retried in Note.save; whatever still fails must not
            # cost the user their text: the form comes back filled in.
            form.add_error(None, _("The note could not be saved. Your text is below: try saving again."))
            return render(request, "notes/edit.html", {"form": form, "note": None}, status=409)
        messages.success(request, _("Note created."))
        return redirect(note)
    # Notes tagged "template" are offered as starting points (manage.py load_starter_notes --templates).
    templates = Note.objects.tagged(TEMPLATE_TAG).order_by("title").only("title", "slug")
    context = {"form": form, "note": None, "templates": templates, "template": template}
    return render(request, "notes/edit.html", context)


@edit_required
def note_edit(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method != "POST":
        note = get_object_or_404(Note, slug=slug)
        form = NoteForm(instance=note, initial={"base_revision": revisions.current_number(note)})
        return render(request, "notes/edit.html", {"form": form, "note": note})
    with transaction.atomic():
        # The row lock makes "is my base still the latest?" and the save one step,
        # so of two simultaneous saves from the same base exactly one wins.
        found = Note.objects.filter(slug=slug).values_list("pk", flat=True).first()
        note, current = revisions.lock_for_edit(found) if found else (None, 0)
        if note is None:
            return _deleted_while_editing(request)
        form = NoteForm(request.POST, instance=note)
        if not form.is_valid():
            return render(request, "notes/edit.html", {"form": form, "note": note})
        # A save that does not say which revision it started from (a script; browsers always
        # send it) could overwrite anyone's: it gets the conflict page, with its text kept.
        base = form.cleaned_data["base_revision"]
        if base != current and current > 0:
            return _conflict(request, note, form, current)
        note = form.save(commit=False)
        note.save_with_tags(
            form.cleaned_data["tags"], editor=request.user, message=form.cleaned_data["message"]
        )
    messages.success(request, _("Note saved."))
    return redirect(note)


def _conflict(request: HttpRequest, note: Note, form: NoteForm, current: int) -> HttpResponse:
    """Someone saved since this edit began: keep the user's text, show theirs and the difference."""
    note.refresh_from_db()
    theirs = Revision.objects.select_related("author").get(note_key=note.pk, number=current)
    data = request.POST.copy()
    # Saving again from this page means "I have seen the newer revision".
    data["base_revision"] = str(current)
    mine = form.cleaned_data["body"]
    context = {
        "form": NoteForm(data, instance=note),
        "note": note,
        "conflict": theirs,
        "conflict_diff": diff(theirs.body, mine),
        "title_conflict": theirs.title != form.cleaned_data["title"],
        # A script's save without base_revision: nobody else need have saved anything.
        "unknown_base": form.cleaned_data["base_revision"] is None,
    }
    return render(request, "notes/edit.html", context, status=409)


def _deleted_while_editing(request: HttpRequest) -> HttpResponse:
    form = NoteForm(request.POST)
    form.is_valid()
    messages.error(
        request,
        _("This note was deleted while you were editing it. Your text is below: save it as a new note."),
    )
    return render(request, "notes/edit.html", {"form": form, "note": None}, status=409)


@edit_required
def note_delete(request: HttpRequest, slug: str) -> HttpResponse:
    note = get_object_or_404(Note, slug=slug)
    if request.method == "POST":
        note._deleted_by = request.user  # recorded in the history's trash
        note.delete()
        messages.success(request, _("Deleted “%(title)s”.") % {"title": note.title})
        return redirect("home")
    return render(request, "notes/delete.html", {"note": note})


@read_required
def tag_list(request: HttpRequest) -> HttpResponse:
    return render(request, "notes/tags.html", {"tags": _tag_cloud()})


# Rows per page of the tag pages and the list of all notes: /tags/tldr/ has 7,000.
NOTES_PER_PAGE = 50
# ?sort= of the list of all notes.
SORTS = {
    "updated": ("-updated_at", "-pk"),
    "title": ("title", "pk"),
    "created": ("-created_at", "-pk"),
}


def _page(request: HttpRequest, notes):
    return Paginator(notes, NOTES_PER_PAGE).get_page(request.GET.get("page"))


@read_required
def note_list(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "updated")
    if sort not in SORTS:
        sort = "updated"
    # ?team=1 leaves out imported reference pages, as the home page does.
    team = request.GET.get("team") == "1"
    notes = Note.objects.team_written() if team else Note.objects.shown()
    page = _page(request, notes.order_by(*SORTS[sort]).prefetch_related("tags"))
    return render(
        request, "notes/list.html", {"page": page, "notes": page.object_list, "sort": sort, "team": team}
    )


@read_required
def tag_detail(request: HttpRequest, tag: str) -> HttpResponse:
    tag_obj = find_tag(tag)
    if tag_obj is None:
        raise Http404(_("No tag is named %(tags)s.") % {"tags": tag})
    if tag_obj.slug != tag:  # /tags/DOCKER/, /tags/ＤＯＣＫＥＲ/, /tags/lang:ja/: the tag's own page
        return redirect("tag_detail", tag=tag_obj.slug)
    notes = Note.objects.shown().filter(tags=tag_obj).order_by("title", "pk").prefetch_related("tags")
    page = _page(request, notes)
    return render(request, "notes/tag.html", {"tag": tag_obj, "page": page, "notes": page.object_list})


@read_required
@require_safe
def media(request: HttpRequest, path: str) -> HttpResponse:
    # Uploaded images are few and small, so Django serves them (from disk or the
    # bucket), behind the same read check as the notes that show them.
    return serve_media(request, path)


@edit_required
@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    from notes.markdown import render_html

    # Counted as saving counts it (NoteForm.clean_body): browsers send each line break as CRLF.
    content = request.POST.get("content", "").replace("\r\n", "\n")
    if len(content) > settings.KB_MAX_BODY_CHARS:
        # The same limit as saving: a preview is never more work than a save.
        message = _("The body is longer than %(limit)d characters.") % {"limit": settings.KB_MAX_BODY_CHARS}
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    return HttpResponse(render_html(content))


@admin_required
def export_page(request: HttpRequest) -> HttpResponse:
    """The admins' download button: every note (or a tag's) with its images, as one zip."""
    tags = [t for t in request.GET.getlist("tag") if t.strip()]
    exclude = [t for t in request.GET.getlist("exclude_tag") if t.strip()]
    error = ""
    if request.GET.get("download"):
        chosen = exporting.select(tags=tags, exclude_tags=exclude)
        if chosen.exists():
            return _zip_response(chosen)
        # An empty zip looks like a download that failed: say why instead.
        unknown = [t for t in tags if not exporting.tag_names([t])]
        if unknown:
            error = _("No tag is named %(tags)s.") % {"tags": ", ".join(unknown)}
        else:
            error = _("No note matches: there is nothing to export.")
    context = {
        "tags": _tag_cloud()[:200],
        "count": Note.objects.count(),
        "error": error,
        # The form has one box of each: it shows the first value given.
        "chosen": tags[0] if tags else "",
        "left_out": exclude[0] if exclude else "",
    }
    return render(request, "notes/export.html", context, status=400 if error else 200)


def _zip_response(notes) -> FileResponse:
    export = exporting.build(notes)
    # Spills to disk past a few MB, so a large export does not sit in memory.
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    exporting.write_zip(export, out)
    out.seek(0)
    name = f"kb-notes-{timezone.localdate():%Y%m%d}.zip"
    return FileResponse(out, as_attachment=True, filename=name, content_type="application/zip")
