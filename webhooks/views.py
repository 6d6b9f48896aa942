"""Admins register webhooks and read each one's delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import admin_required
from audit import log as audit
from webhooks.forms import WebhookForm
from webhooks.models import Delivery, Webhook


def _audit(request: HttpRequest, action: str, hook: Webhook) -> None:
    audit.record(
        request, action, target=hook.name, detail={"webhook": hook.pk, "url": hook.url, "events": hook.events}
    )


@admin_required
def webhook_list(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hook = form.save(commit=False)
        hook.created_by = request.user
        hook.save()
        _audit(request, "webhook.create", hook)
        messages.success(request, _("Webhook added. Give its secret to the receiver to check signatures."))
        return redirect("webhook_detail", hook.pk)
    hooks = Webhook.objects.all()
    return render(request, "webhooks/list.html", {"form": form, "hooks": hooks})


@admin_required
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=pk)
    form = WebhookForm(request.POST or None, instance=hook)
    if request.method == "POST" and form.is_valid():
        form.save()
        _audit(request, "webhook.update", hook)
        messages.success(request, _("Webhook saved."))
        return redirect("webhook_detail", hook.pk)
    page = Paginator(hook.deliveries.all(), 50).get_page(request.GET.get("page"))
    return render(request, "webhooks/detail.html", {"hook": hook, "form": form, "page": page})


@admin_required
@require_POST
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=pk)
    _audit(request, "webhook.delete", hook)
    hook.delete()
    messages.success(request, _("Webhook deleted."))
    return redirect("webhook_list")


@admin_required
@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery, pk=pk)
    Delivery.objects.filter(pk=pk).exclude(status=Delivery.Status.PENDING).update(
        status=Delivery.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    from webhooks.receivers import wake_workers

    wake_workers()
    messages.success(request, _("The delivery will be sent again."))
    return redirect("webhook_detail", delivery.webhook_id)
