from __future__ import annotations

import json
from urllib.parse import unquote

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import api_read_required, edit_required, read_required
from kb.htmx import render_live
from lookup import placeholders
from lookup.forms import EntryForm
from lookup.models import Entry, entry_tag
from notes.controls import terminal_safe
from notes.tags import find_tag

PAGE_RESULTS = 20
API_MAX_LIMIT = 50
PLAIN_RESULTS = 5
CHEATSHEET_MAX = 1500
MAX_QUERY_CHARS = 200


def _query(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]


def present(entry: Entry) -> dict:
    """What a result needs on the page: the template split for the placeholder fields.

    Fields whose value the query named (``preset``, from the lookup) start filled in.
    """
    segments = placeholders.parse(entry.command)
    preset = getattr(entry, "preset", {})
    return {
        "entry": entry,
        # "many": a field for several values, each word an argument (placeholders.many).
        "segments_json": json.dumps(
            [{**s.as_dict(), "many": placeholders.many(s)} for s in segments], ensure_ascii=False
        ),
        "fields": [(f, preset.get(f.raw, "")) for f in placeholders.fields(entry.command)],
        "filled": placeholders.readable(entry.command, preset),
    }


def _placeholder(segment: placeholders.Segment, preset: dict[str, str]) -> dict:
    return {**segment.as_dict(), "value": preset.get(segment.raw, "")}


@read_required
def lookup_page(request: HttpRequest) -> HttpResponse:
    q = _query(request)
    results = [present(e) for e in Entry.objects.lookup(q, PAGE_RESULTS)] if q else []
    context = {"q": q, "results": results}
    return render_live(request, "lookup/lookup.html", "lookup/_results.html", context)


@api_read_required
def api_lookup(request: HttpRequest) -> JsonResponse:
    q = _query(request)
    try:
        limit = int(request.GET.get("limit", 10))
    except ValueError:
        return JsonResponse({"error": "limit must be a whole number"}, status=400)
    if not 1 <= limit <= API_MAX_LIMIT:
        return JsonResponse({"error": f"limit must be between 1 and {API_MAX_LIMIT}"}, status=400)
    entries = Entry.objects.lookup(q, limit) if q else []
    results = [
        {
            "task": e.task,
            # What a person pastes; tools that fill fields themselves read the template.
            "command": placeholders.readable(e.command, e.preset),
            "template": e.command,
            "explanation": e.explanation,
            "tags": e.tags,
            "note_url": request.build_absolute_uri(e.note_url()) if e.note_id else "",
            "note_title": e.note.title if e.note_id else "",
            # Parsed here so clients (the shell widget) need not know tldr's syntax.
            # "value": what the query already named for it ("restart" for {{start|stop|restart}}).
            "placeholders": [_placeholder(s, e.preset) for s in placeholders.fields(e.command)],
        }
        for e in entries
    ]
    return JsonResponse(
        {"query": q, "count": len(results), "results": results}, json_dumps_params={"ensure_ascii": False}
    )


PLAIN_TEXT = "text/plain; charset=utf-8"


@api_read_required
def plain_lookup(request: HttpRequest, query: str = "") -> HttpResponse:
    """cheat.sh-style answer for terminals: `curl -s HOST/q/コンテナ+削除`.

    A hit is 200, no match 404 (so `curl -f` tells them apart), no query a usage line.
    """
    q = query.replace("+", " ").strip()[:MAX_QUERY_CHARS]
    if not q:
        # As typed in a terminal (curl sends it as UTF-8), not percent-encoded as reverse() gives it.
        example = unquote(request.build_absolute_uri(reverse("lookup_plain", args=["コンテナ+削除"])))
        usage = _("Usage: curl -s %(url)s (words joined with +)") % {"url": example}
        return _plain(f"# {usage}\n")
    entries = Entry.objects.lookup(q, PLAIN_RESULTS)
    if not entries:
        return _plain(f"# {_('Nothing found')}: {_comment(q)}\n", status=404)
    blocks = []
    for e in entries:
        lines = [f"# {_comment(e.task)}"]
        if e.explanation and e.explanation != e.task:
            lines.append(f"# {_comment(e.explanation[:200])}")
        lines.append(placeholders.readable(e.command, e.preset))
        if e.note_id:
            lines.append(f"#   {_readable_url(request.build_absolute_uri(e.note_url()))}")
        blocks.append("\n".join(lines))
    return _plain("\n\n".join(blocks) + "\n")


def _comment(text: str) -> str:
    """Text for a `# …` line: a line break in it would start a line that is no comment."""
    return " ".join(text.split())


def _readable_url(url: str) -> str:
    """A note's address as a terminal shows it best: /notes/コンテナの一生/, not %E3%82%B3….

    Terminals and their link detection take UTF-8; one that would unquote to a space or a
    control character stays encoded.
    """
    shown = unquote(url)
    return url if any(c.isspace() or not c.isprintable() for c in shown) else shown


def _plain(text: str, status: int = 200) -> HttpResponse:
    # Read in a terminal, which would obey an escape sequence in a task, a command or the
    # query echoed back; kb refuses them on the way in, and this keeps older text harmless.
    return HttpResponse(terminal_safe(text), content_type=PLAIN_TEXT, status=status)


@read_required
def cheatsheet(request: HttpRequest, tag: str) -> HttpResponse:
    canonical = entry_tag(tag)
    if canonical and canonical != tag:
        return redirect("cheatsheet", canonical)  # /cheatsheet/ＤＯＣＫＥＲ/ is docker's
    entries = list(
        Entry.objects.tagged(tag)
        .select_related("note")
        .order_by("note__title", "note_id", "position", "pk")[: CHEATSHEET_MAX + 1]
    )
    if not entries:
        # The tag page's address (/tags/git-チートシート/) names the tag by its slug.
        named = find_tag(tag)
        if named is not None and entry_tag(named.name) != tag:
            return redirect("cheatsheet", entry_tag(named.name))
        raise Http404(_("No commands are tagged %(tag)s.") % {"tag": tag})
    groups: list[tuple[object, list[Entry]]] = []
    viewer = (get_language() or "ja").split("-")[0]
    for e in in_language(entries[:CHEATSHEET_MAX], viewer):
        if not groups or groups[-1][0] != e.note:
            groups.append((e.note, []))
        groups[-1][1].append(e)
    # A tldr page in the viewer's language before the other language's page of the same name
    # (its examples that the viewer's page lacks).
    groups.sort(key=lambda g: (g[0].title if g[0] else "", _tldr_language(g[0]) not in ("", viewer)))
    named = find_tag(tag)
    context = {
        # As the team spells it (Git チートシート); entries keep tags in lower case.
        "tag": named.name if named is not None and entry_tag(named.name) == tag else tag,
        "groups": groups,
        "truncated": len(entries) > CHEATSHEET_MAX,
        "max": CHEATSHEET_MAX,
    }
    return render(request, "lookup/cheatsheet.html", context)


def _tldr_language(note) -> str:
    """'tldr:ja/common/docker-rm' → 'ja'; '' for the team's own notes and hand-written entries."""
    key = (note.import_key if note else "") or ""
    return key[len("tldr:") :].split("/", 1)[0] if key.startswith("tldr:") else ""


def in_language(entries: list[Entry], lang: str) -> list[Entry]:
    """tldr has a page in English and often one in Japanese for the same command: show
    each command once, from the viewer's language when it has it, else from English.
    """
    langs: dict[str, set[str]] = {}
    for e in entries:
        if page_lang := _tldr_language(e.note):
            langs.setdefault(placeholders.shape(e.command), set()).add(page_lang)

    def wanted(shape: str) -> str:
        have = langs[shape]
        return lang if lang in have else "en" if "en" in have else min(have)

    out, seen = [], set()
    for e in entries:
        shape, page_lang = placeholders.shape(e.command), _tldr_language(e.note)
        if (page_lang and page_lang != wanted(shape)) or shape in seen:
            continue
        seen.add(shape)
        out.append(e)
    return out


@edit_required
def entry_create(request: HttpRequest) -> HttpResponse:
    form = EntryForm(request.POST or None, initial={"note": request.GET.get("note", "")})
    if request.method == "POST" and form.is_valid():
        entry = form.fill(Entry(author=request.user))
        entry.save()
        messages.success(request, _("Command saved."))
        return redirect(_lookup_url(entry.task))  # its own task: where it ranks first
    return render(request, "lookup/entry_form.html", {"form": form, "entry": None})


@edit_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(Entry, pk=pk, origin=Entry.Origin.MANUAL)
    form = EntryForm(request.POST or None, initial=EntryForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        form.fill(entry).save()
        messages.success(request, _("Command saved."))
        return redirect(_lookup_url(entry.task))  # its own task: where it ranks first
    return render(request, "lookup/entry_form.html", {"form": form, "entry": entry})


@edit_required
@require_POST
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(Entry, pk=pk, origin=Entry.Origin.MANUAL)
    entry.delete()
    messages.success(request, _("Command deleted."))
    return redirect(_lookup_url())


def _lookup_url(q: str = "") -> str:
    url = reverse("lookup")
    return f"{url}?{urlencode({'q': q})}" if q else url
