from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from accounts.access import api_read_required, read_required
from kb.htmx import render_live
from search.forms import ApiSearchForm, SearchForm
from search.queries import search

PAGE_SIZE = 20


@read_required
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        # An over-long tag (not from kb's links): show the error, keep the query in the box.
        return render(request, "search/search.html", {"form": form, "q": ""}, status=400)
    q, tag, page = form.cleaned_data["q"], form.cleaned_data["tag"] or None, form.cleaned_data["page"]
    results = search(q, tag=tag, language=get_language())
    pages = max(1, -(-results.count // PAGE_SIZE))
    page = min(page, pages)
    hits = results.hits((page - 1) * PAGE_SIZE, PAGE_SIZE)
    for hit in hits:
        hit.snippet = mark_safe(hit.snippet)  # highlight() escapes everything but its <mark> tags
    context = {
        "form": form,
        "q": q,
        "tag": tag,
        "results": results,
        "hits": hits,
        "facets": results.facets() if q else [],
        "page": page,
        "pages": pages,
        "prev_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
        "first_rank": (page - 1) * PAGE_SIZE,
    }
    return render_live(request, "search/search.html", "search/_results.html", context)


@api_read_required
def api_search(request: HttpRequest) -> JsonResponse:
    form = ApiSearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse(
            {"error": "invalid parameters", "fields": form.errors.get_json_data()}, status=400
        )
    q, tag = form.cleaned_data["q"], form.cleaned_data["tag"] or None
    results = search(q, tag=tag, language=get_language())
    hits = results.hits(0, form.cleaned_data["limit"] or PAGE_SIZE)
    data = {
        "query": q,
        "count": results.count,
        "results": [
            {
                "slug": hit.note.slug,
                "title": hit.note.title,
                "url": request.build_absolute_uri(hit.note.get_absolute_url()),
                "tags": [name for name, _ in hit.tags],
                "snippet": hit.snippet,
            }
            for hit in hits
        ],
    }
    if results.suggestion:
        data["suggestion"] = results.suggestion
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@read_required
def opensearch(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    return render(
        request,
        "search/opensearch.xml",
        {"base": base},
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
