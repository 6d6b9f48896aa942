"""Who is editing: the editor page beats every ~20 s and shows the others it gets back."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import edit_required
from notes.models import Note
from presence.models import Editing


@never_cache
@edit_required
@require_POST
def heartbeat(request: HttpRequest, slug: str) -> HttpResponse:
    note = get_object_or_404(Note, slug=slug)
    if request.POST.get("leave"):
        # Sent by the page as it closes (navigator.sendBeacon): gone at once, not in a minute.
        Editing.leave(note, request.user)
        return HttpResponse(status=204)
    Editing.beat(note, request.user)
    others = list(Editing.objects.others_on(note, request.user))
    return render(request, "presence/_editing_now.html", {"others": others})
