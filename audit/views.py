from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import admin_required
from audit.forms import LABELS, AuditFilterForm
from audit.models import AuditEvent


@admin_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_bound and form.is_valid():
        events = form.apply(events)
    page = Paginator(events.order_by("-at", "-pk"), 100).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.label = LABELS.get(event.action, event.action)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "retention_days": settings.KB_AUDIT_RETENTION_DAYS,
    }
    return render(request, "audit/log.html", context)
