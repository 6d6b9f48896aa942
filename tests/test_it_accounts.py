import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.access import can_admin, can_edit, can_read
from notes.models import Note

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_it_creates_the_three_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"readers", "editors", "admins"}


def test_it_gives_each_role_its_rights(user, editor, kb_admin, django_user_model):
    plain = django_user_model.objects.create_user("nobody", password="pw")
    root = django_user_model.objects.create_superuser("root", password="pw")
    assert [can_edit(u) for u in (plain, user, editor, kb_admin, root)] == [False, False, True, True, True]
    assert [can_admin(u) for u in (plain, user, editor, kb_admin, root)] == [False, False, False, True, True]
    assert all(can_read(u) for u in (plain, user, editor, kb_admin, root))


def test_it_keeps_readers_from_writing(client, user, make_note):
    note = make_note(title="n", slug="n", body="original")
    client.force_login(user)
    assert client.get("/notes/new/").status_code == 403
    response = client.post("/notes/n/edit/", {"title": "changed", "body": "x", "base_revision": "1"})
    assert response.status_code == 403
    assert client.post("/notes/n/delete/").status_code == 403
    assert client.post("/notes/n/revisions/1/restore/").status_code == 403
    note.refresh_from_db()
    assert (note.title, note.body) == ("n", "original")
    html = client.get("/notes/n/").content.decode()
    assert "/notes/n/edit/" not in html


def test_it_lets_editors_write_but_not_empty_the_trash(client, editor, make_note):
    client.force_login(editor)
    response = client.post("/notes/new/", {"title": "新しいメモ", "body": "本文"})
    assert response.status_code == 302
    note = Note.objects.get(title="新しいメモ")
    client.post(f"/notes/{note.slug}/delete/")
    assert not Note.objects.filter(title="新しいメモ").exists()
    assert client.get("/trash/").status_code == 403


def test_it_assigns_roles_from_the_command_line(django_user_model, monkeypatch):
    monkeypatch.setenv("NEW_PW", "a-long-passphrase-1234")
    out = StringIO()
    call_command("set_role", "hanako", "editor", "--create", "--password-from-env", "NEW_PW", stdout=out)
    hanako = django_user_model.objects.get(username="hanako")
    assert hanako.check_password("a-long-passphrase-1234")
    assert can_edit(hanako)
    call_command("set_role", "hanako", "reader", stdout=out)
    hanako = django_user_model.objects.get(username="hanako")
    assert not can_edit(hanako)
    assert list(hanako.groups.values_list("name", flat=True)) == ["readers"]
    with pytest.raises(CommandError, match="no user named"):
        call_command("set_role", "ghost", "admin", stdout=out)
    # Without a terminal (pytest's stdin is not one) it says how, instead of a getpass traceback.
    with pytest.raises(CommandError, match="--password-from-env"):
        call_command("set_role", "jiro", "editor", "--create", stdout=out)


def test_it_refuses_weak_passwords_for_new_accounts(monkeypatch):
    monkeypatch.setenv("NEW_PW", "123")
    with pytest.raises(CommandError, match="短すぎ|too short"):
        call_command("set_role", "weak", "reader", "--create", "--password-from-env", "NEW_PW")


def test_it_locks_out_after_repeated_failed_logins(client, editor):
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "editor", "password": "wrong"})
        assert response.status_code == 200
    # The fifth failure trips the limit; then even the right password is refused.
    response = client.post("/accounts/login/", {"username": "editor", "password": "wrong"})
    assert response.status_code == 429
    assert "ログインの試行が多すぎます" in response.content.decode()
    assert "15 分後" in response.content.decode()  # KB_LOGIN_COOLOFF_MINUTES
    response = client.post("/accounts/login/", {"username": "editor", "password": "pw"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_forgets_failures_after_a_successful_login(client, editor):
    for _ in range(3):
        client.post("/accounts/login/", {"username": "editor", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "editor", "password": "pw"})
    assert response.status_code == 302
    client.logout()
    for _ in range(4):
        assert client.post("/accounts/login/", {"username": "editor", "password": "no"}).status_code == 200


def test_a_login_from_the_login_page_itself_lands_on_the_site(client, editor):
    response = client.post("/accounts/login/?next=/accounts/login/", {"username": "editor", "password": "pw"})
    assert response.status_code == 302 and response["Location"] == "/"
    client.logout()
    response = client.post("/accounts/login/?next=/notes/", {"username": "editor", "password": "pw"})
    assert response["Location"] == "/notes/"
    # The header's link on /accounts/login/?next=/notes/x/ wraps that page in its own next.
    client.logout()
    wrapped = "/accounts/login/?next=/accounts/login/%3Fnext%3D/notes/x/"
    assert client.post(wrapped, {"username": "editor", "password": "pw"})["Location"] == "/notes/x/"
    client.logout()
    evil = "/accounts/login/?next=/accounts/login/%3Fnext%3Dhttps://evil.example/"
    assert client.post(evil, {"username": "editor", "password": "pw"})["Location"] == "/"


def test_a_typed_logout_address_asks_before_logging_out(client, editor):
    assert client.get("/accounts/logout/")["Location"] == "/"  # nobody to log out
    client.force_login(editor)
    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    assert 'action="/accounts/logout/" method="post"' in page.content.decode()
    assert "_auth_user_id" in client.session  # a GET never logs out
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_a_form_sent_after_the_session_ended_says_it_was_not_saved(client, make_note):
    note = make_note(title="手順", slug="steps", body="x\n")
    response = client.post(
        f"/notes/{note.slug}/edit/", {"title": "手順", "body": "新しい本文", "tags": ""}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert "送信した内容は保存されていません" in page and "下書き" in page
    assert Note.objects.get(pk=note.pk).body == "x\n"
    # A plain visit to a page that needs a login says nothing of the kind.
    assert "保存されていません" not in client.get("/notes/new/", follow=True).content.decode()


def test_it_sends_security_headers(client, make_note):
    note = make_note(title="ヘッダ")
    response = client.get(note.get_absolute_url())
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'name="htmx-config"' in response.content.decode()


def test_it_has_no_inline_scripts_or_styles_in_its_pages(editor_client, make_note):
    note = make_note(title="CSP", body="```sh\necho hi\n```")
    for url in ["/", note.get_absolute_url(), f"/notes/{note.slug}/edit/", "/notes/new/", "/changes/"]:
        html = editor_client.get(url).content.decode()
        for script in html.split("<script")[1:]:
            assert script.split(">", 1)[0].strip().startswith("src="), (url, script[:80])
        assert "<style" not in html and " style=" not in html, url


def _check_deploy(**extra) -> subprocess.CompletedProcess:
    # Only the test run sets DJANGO_ALLOW_ASYNC_UNSAFE (for Playwright); a deployment must not.
    skip = ("SECURE_", "KB_TESTING", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "USE_X_FORWARDED_PROTO")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env.update(
        DEBUG="0",
        SECRET_KEY="x7Qm-2vJ9_kLpR4sT8wYzB3nC6fH1gD5aE0uI-oP9qWeRtYuIoPaSdFgHjKlZxCv",
        DATABASE_URL="postgresql://kb@/kb?host=/nonexistent",
        ALLOWED_HOSTS="kb.example.com",
    )
    env.update(extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "CRITICAL"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _warning_ids(output: str) -> set[str]:
    import re

    return set(re.findall(r"\(([\w.]+\.[EW]\d+)\)", output))


def test_it_passes_check_deploy_apart_from_what_the_tls_proxy_decides():
    result = _check_deploy()
    assert result.returncode == 0, result.stderr
    allowed = {"security.W004", "security.W008", "security.W012", "security.W016"}
    assert _warning_ids(result.stderr + result.stdout) <= allowed, result.stderr


def test_it_passes_check_deploy_cleanly_behind_a_tls_proxy():
    result = _check_deploy(
        SECURE_COOKIES="1",
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        SECURE_HSTS_PRELOAD="1",
        USE_X_FORWARDED_PROTO="1",
    )
    assert result.returncode == 0, result.stderr
    assert _warning_ids(result.stderr + result.stdout) == set(), result.stderr
    assert "no issues" in result.stdout
