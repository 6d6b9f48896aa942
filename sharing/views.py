"""Share links: editors make and revoke them on a note; anyone holding one reads that note."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import edit_required
from audit import log as audit
from notes.media import serve_media
from notes.models import Note
from sharing.forms import ShareLinkForm
from sharing.models import ShareLink


@edit_required
@require_POST
def share_create(request: HttpRequest, slug: str) -> HttpResponse:
    note = get_object_or_404(Note, slug=slug)
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an expiry from the list."))
        return redirect(note.get_absolute_url() + "#share")
    link = ShareLink.create(note, user=request.user, days=form.cleaned_data["expires_in"])
    audit.record(
        request,
        "share.create",
        target=note.title,
        detail={
            "note": note.pk,
            "link": link.pk,
            "expires_at": link.expires_at.isoformat() if link.expires_at else None,
        },
    )
    messages.success(request, _("Share link created: anyone with it can read this note."))
    return redirect(note.get_absolute_url() + "#share")


@edit_required
@require_http_methods(["GET", "POST"])
def share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ShareLink.objects.select_related("note", "created_by"), pk=pk)
    if request.method == "GET":
        # A revoked link cannot be brought back (whoever holds it needs a new one): ask first.
        if link.revoked_at is not None:
            return redirect(link.note.get_absolute_url() + "#share")
        return render(request, "sharing/revoke.html", {"link": link, "note": link.note})
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit.record(
            request, "share.revoke", target=link.note.title, detail={"note": link.note_id, "link": link.pk}
        )
        messages.success(request, _("Share link revoked: it no longer opens the note."))
    return redirect(link.note.get_absolute_url() + "#share")


def _private(response: HttpResponse) -> HttpResponse:
    # Never cached anywhere, so revoking ends access at once; never indexed; and
    # the secret address is not sent on as a Referer when a reader follows a link.
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _gone(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "sharing/gone.html", status=404))


_WIKILINK_RE = re.compile(r'<a class="wikilink"[^>]*>(.*?)</a>', re.S)
# A link written into the site as Markdown ([text](/notes/x/), ../x): text only, as above.
# Links elsewhere (https:, mailto:) and to the page's own headings (#…) stay.
_SITE_LINK_RE = re.compile(r'<a href="(?!https?:|mailto:|#)[^"]*"[^>]*>(.*?)</a>', re.S)


def shared_note(request: HttpRequest, token: str) -> HttpResponse:
    link = ShareLink.objects.for_token(token)
    if link is None:
        return _gone(request)
    note = link.note
    note.ensure_rendered()
    # Uploaded images are served through the link too, so they show on a private site.
    media = settings.MEDIA_URL
    html = note.body_html.replace(f'src="{media}', f'src="{link.get_absolute_url()}media/')
    # [[wiki links]] lead into the site, which a link's reader may not see: keep their text only.
    html = _WIKILINK_RE.sub(r'<span class="wikilink">\1</span>', html)
    html = _SITE_LINK_RE.sub(r"<span>\1</span>", html)
    context = {"note": note, "link": link, "body_html": html, "diagrams": 'class="mermaid-diagram"' in html}
    return _private(render(request, "sharing/shared.html", context))


def shared_media(request: HttpRequest, token: str, path: str) -> HttpResponse:
    link = ShareLink.objects.for_token(token)
    # Only images the shared note itself shows, never any other upload.
    if link is None or f"{settings.MEDIA_URL}{path}" not in link.note.body:
        raise Http404
    return _private(serve_media(request, path))
