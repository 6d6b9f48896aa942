"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit in a second process)."""

from __future__ import annotations

import copy
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import psycopg
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import authenticate
from django.db import connection
from django.test import Client

from accounts import oidc
from accounts.models import ExternalIdentity
from audit.models import AuditEvent

ROOT = Path(__file__).resolve().parent.parent
CLIENT_ID, CLIENT_SECRET = "kb-test", "kb-test-secret-0123456789"
IDP_DB = "kb_test_idp"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _idp_database_url() -> str:
    params = connection.settings_dict
    host, port, user = params["HOST"], params["PORT"] or "5432", params["USER"]
    admin = psycopg.connect(
        dbname="postgres",
        host=host,
        port=port,
        user=user,
        password=params["PASSWORD"] or None,
        autocommit=True,
    )
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {IDP_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {IDP_DB}")
    password = f":{quote(params['PASSWORD'], safe='')}" if params["PASSWORD"] else ""
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{IDP_DB}?host={quote(host, safe='')}&port={port}"
    return f"postgresql://{user}{password}@{host}:{port}/{IDP_DB}"


@pytest.fixture(scope="module")
def idp(live_server, django_db_blocker):
    """The provider, configured with kb's live server as its only client."""
    with django_db_blocker.unblock():
        url = _idp_database_url()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    port = _free_port()
    env = {**os.environ, "IDP_DATABASE_URL": url, "IDP_RSA_KEY": key.decode(), "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.oidc_idp.serve",
            str(port),
            CLIENT_ID,
            CLIENT_SECRET,
            f"{live_server.url}/oidc/callback/",
            f"{live_server.url}/",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if line.strip() != "ready":
            raise RuntimeError(f"test IdP did not start: {line}{process.stdout.read()}")
        yield f"http://127.0.0.1:{port}/o"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def sso(idp, settings):
    settings.KB_OIDC_ISSUER = idp
    settings.KB_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.KB_OIDC_ROLE_CLAIM = "groups"
    settings.KB_OIDC_ROLES = {"kb-admins": "admin", "kb-editors": "editor"}
    settings.KB_OIDC_DEFAULT_ROLE = "reader"
    # As settings.py does for a configured issuer: the logout form may redirect there.
    csp = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    csp["DIRECTIVES"]["form-action"].append(idp.removesuffix("/o"))
    settings.CONTENT_SECURITY_POLICY = csp
    oidc.forget_discovery()
    yield idp
    oidc.forget_discovery()


def _sso_login(page, username: str) -> None:
    page.goto("/accounts/login/?next=/tags/")
    page.click("#sso-login")
    page.wait_for_selector("#idp-username")
    assert page.url.startswith("http://127.0.0.1:") and "/login/" in page.url
    page.fill("#idp-username", username)
    page.fill("#idp-password", "pw")
    page.click("#idp-submit")
    page.wait_for_url("**/tags/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_logs_in_through_the_provider_with_the_mapped_role(page, sso, django_user_model, settings):
    _sso_login(page, "alice")
    alice = django_user_model.objects.get(username="alice")
    assert list(alice.groups.values_list("name", flat=True)) == ["editors"]
    assert (alice.email, alice.first_name, alice.has_usable_password()) == (
        "alice@example.com",
        "Alice",
        False,
    )
    assert ExternalIdentity.objects.get(user=alice).issuer == sso
    assert page.locator("a", has_text="新規ノート").count() == 1
    assert AuditEvent.objects.filter(action="login", actor=alice).exists()

    # Logging out ends the provider's session too: the next SSO login asks again.
    home = page.url.split("/tags/")[0] + "/"
    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_url(home)
    assert page.locator("a", has_text="ログイン").count() == 1
    page.goto("/oidc/authenticate/")
    page.wait_for_selector("#idp-username")

    # The IdP decides on every login: without a mapped group alice is a reader now.
    settings.KB_OIDC_ROLES = {"kb-admins": "admin"}
    page.fill("#idp-username", "alice")
    page.fill("#idp-password", "pw")
    page.click("#idp-submit")
    page.wait_for_url(home)
    alice.refresh_from_db()
    assert list(alice.groups.values_list("name", flat=True)) == ["readers"]
    assert django_user_model.objects.filter(username__startswith="alice").count() == 1
    assert AuditEvent.objects.filter(action="role.remove", target="alice").exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_highest_mapped_group_wins(page, sso, django_user_model):
    _sso_login(page, "bob")
    bob = django_user_model.objects.get(username="bob")
    assert list(bob.groups.values_list("name", flat=True)) == ["admins"]


@pytest.mark.django_db
def test_the_authorization_request_uses_pkce_state_and_nonce(sso):
    client = Client()
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{sso}/authorize/"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    assert "openid" in query["scope"].split()
    # A callback with a state this session never sent is refused.
    forged = client.get("/oidc/callback/", {"code": "x", "state": "not-the-state"})
    assert forged.status_code == 400


@pytest.mark.django_db
def test_sso_is_off_without_its_settings(settings):
    settings.KB_OIDC_ENABLED = False
    assert Client().get("/oidc/authenticate/").status_code == 404
    assert "sso-login" not in Client().get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_local_login_can_be_switched_off(settings, editor):
    settings.KB_OIDC_ENABLED = True
    settings.KB_LOCAL_LOGIN = False
    settings.AUTHENTICATION_BACKENDS = ["accounts.backends.RateLimitedLoginBackend", "accounts.oidc.Backend"]
    page = Client().get("/accounts/login/").content.decode()
    assert 'id="sso-login"' in page and 'name="password"' not in page
    response = Client().post("/accounts/login/", {"username": "editor", "password": "pw"})
    assert response.status_code == 403
    assert authenticate(None, username="editor", password="pw") is None
    # The admin's own login page sends people to the same page.
    admin = Client().get("/admin/login/?next=/admin/")
    assert admin.status_code == 302 and admin["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_groups_map_to_roles(settings):
    settings.KB_OIDC_ROLES = {"kb-admins": "admin", "kb-editors": "editor", "staff": "reader"}
    settings.KB_OIDC_ROLE_CLAIM = "groups"
    settings.KB_OIDC_DEFAULT_ROLE = "none"
    assert oidc.role_for({"groups": ["staff", "kb-editors"]}) == "editors"
    assert oidc.role_for({"groups": ["/org/kb-admins"]}) == "admins"  # path-style groups (Entra, GitLab)
    assert oidc.role_for({"groups": "kb-editors"}) == "editors"
    assert oidc.role_for({"groups": ["other"]}) is None
    assert oidc.role_for({}) is None
    settings.KB_OIDC_ROLE_CLAIM = "realm_access.roles"  # Keycloak
    settings.KB_OIDC_DEFAULT_ROLE = "reader"
    assert oidc.role_for({"realm_access": {"roles": ["kb-admins"]}}) == "admins"
    assert oidc.role_for({"realm_access": {"roles": []}}) == "readers"


def test_secrets_can_come_from_files(tmp_path, monkeypatch):
    from kb.settings import env_secret

    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("KB_OIDC_CLIENT_SECRET_FILE", str(secret))
    assert env_secret("KB_OIDC_CLIENT_SECRET") == "s3cret"
    monkeypatch.setenv("KB_OIDC_CLIENT_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(Exception, match="cannot read"):
        env_secret("KB_OIDC_CLIENT_SECRET")
