"""Audit log: security-relevant actions with who, when and from which address."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from audit.models import AuditEvent
from sharing.models import ShareLink

pytestmark = pytest.mark.django_db


def events():
    # The user fixtures give roles, which are audited too: leave those out unless asked.
    return AuditEvent.objects.exclude(action__startswith="role.").order_by("at", "pk")


def actions() -> list[str]:
    return list(events().values_list("action", flat=True))


@pytest.fixture
def admin_client(kb_admin):
    client = Client()
    client.force_login(kb_admin)
    return client


def test_it_records_logins_and_failed_logins_with_the_address(editor):
    client = Client(REMOTE_ADDR="192.0.2.7")
    client.post("/accounts/login/", {"username": "editor", "password": "wrong"})
    client.post("/accounts/login/", {"username": "editor", "password": "pw"})
    client.post("/accounts/logout/")
    failed, login, logout = events()
    assert (failed.action, failed.target, failed.actor, failed.address) == (
        "login.failed",
        "editor",
        None,
        "192.0.2.7",
    )
    assert "wrong" not in str(failed.detail)
    assert (login.action, login.actor, login.actor_name, login.address) == (
        "login",
        editor,
        "editor",
        "192.0.2.7",
    )
    assert logout.action == "logout"


def test_it_records_role_changes(editor, django_user_model, admin_client):
    AuditEvent.objects.all().delete()
    call_command("set_role", "editor", "admin")
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "role.remove",
        "role.add",
    ]
    event = AuditEvent.objects.get(action="role.add")
    assert (event.target, event.detail, event.actor_name) == ("editor", {"roles": ["admins"]}, "")
    # Only the role the user really had is recorded as taken away, not every role.
    assert AuditEvent.objects.get(action="role.remove").detail == {"roles": ["editors"]}
    # The same from a request: the admin who did it is recorded.
    user = django_user_model.objects.create_user("new")
    AuditEvent.objects.all().delete()
    from audit.log import current_request

    boss = django_user_model.objects.get(username="boss")
    request = type("Request", (), {"user": boss, "META": {"REMOTE_ADDR": "198.51.100.1"}})()
    token = current_request.set(request)
    try:
        user.groups.add(Group.objects.get(name="editors"))
    finally:
        current_request.reset(token)
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_name, event.address, event.target) == (
        "role.add",
        "boss",
        "198.51.100.1",
        "new",
    )


def test_it_records_tokens_share_links_deletions_and_restores(editor_client, admin_client, make_note):
    editor_client.post("/accounts/tokens/", {"name": "ci"})
    token = ApiToken.objects.get()
    editor_client.post(f"/accounts/tokens/{token.pk}/revoke/")
    note = make_note(title="手順", slug="steps")
    note.body = "v2"
    note.save_with_tags([])
    editor_client.post("/notes/steps/share/", {"expires_in": "7"})
    editor_client.post(f"/share/{ShareLink.objects.get().pk}/revoke/")
    editor_client.post("/notes/steps/revisions/1/restore/")
    editor_client.post("/notes/steps/delete/")
    admin_client.post(f"/trash/{note.pk}/restore/")
    # (The fixtures' force_login() calls are logins too.)
    assert [a for a in actions() if a != "login"] == [
        "token.create",
        "token.revoke",
        "share.create",
        "share.revoke",
        "revision.restore",
        "note.delete",
        "note.restore",
    ]
    by_action = {e.action: e for e in events()}
    assert by_action["note.delete"].actor_name == "editor"
    assert by_action["note.delete"].address == "127.0.0.1"
    assert by_action["note.restore"].actor_name == "boss"
    assert by_action["share.create"].detail["note"] == note.pk
    assert by_action["token.create"].target == "ci"


def test_it_records_webhook_changes(admin_client):
    admin_client.post(
        "/webhooks/", {"name": "chat", "url": "https://chat.example.com/h", "events": ["note.created"]}
    )
    from webhooks.models import Webhook

    hook = Webhook.objects.get()
    admin_client.post(
        f"/webhooks/{hook.pk}/",
        {"name": "chat", "url": "https://chat.example.com/h2", "events": ["note.created"]},
    )
    admin_client.post(f"/webhooks/{hook.pk}/delete/")
    assert [a for a in actions() if a != "login"] == ["webhook.create", "webhook.update", "webhook.delete"]
    assert AuditEvent.objects.get(action="webhook.update").detail["url"] == "https://chat.example.com/h2"


def test_admins_read_and_filter_the_log(admin_client, editor_client, editor):
    Client(REMOTE_ADDR="203.0.113.9").post("/accounts/login/", {"username": "mallory", "password": "x"})
    editor_client.post("/accounts/tokens/", {"name": "ci"})
    assert editor_client.get("/audit/").status_code == 403
    page = admin_client.get("/audit/").content.decode()
    assert "mallory" in page and "203.0.113.9" in page and "ログイン失敗" in page
    filtered = admin_client.get("/audit/", {"action": "token.create"}).content.decode()
    assert "mallory" not in filtered and 'class="audit-tokencreate"' in filtered
    assert "mallory" in admin_client.get("/audit/", {"who": "mallory"}).content.decode()
    by_address = admin_client.get("/audit/", {"address": "203.0.113.9"}).content.decode()
    assert "mallory" in by_address and 'class="audit-tokencreate"' not in by_address
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "mallory" not in admin_client.get("/audit/", {"since": future}).content.decode()


def test_the_django_admin_lists_the_log_read_only(django_user_model):
    root = django_user_model.objects.create_superuser("root", password="pw")
    client = Client()
    client.force_login(root)
    AuditEvent.objects.create(action="login.failed", target="mallory", address="203.0.113.9")
    page = client.get("/admin/audit/auditevent/?action__exact=login.failed")
    assert page.status_code == 200 and "mallory" in page.content.decode()
    event = AuditEvent.objects.get(target="mallory")
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403


def test_old_events_are_purged_after_the_retention(settings, capsys):
    settings.KB_AUDIT_RETENTION_DAYS = 30
    old = AuditEvent.objects.create(action="login", at=timezone.now() - timedelta(days=31))
    recent = AuditEvent.objects.create(action="login", at=timezone.now() - timedelta(days=29))
    call_command("purge_audit")
    assert "1 audit events older than 30 days deleted" in capsys.readouterr().out
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
