"""KB_TRUSTED_PROXIES: the client address from X-Forwarded-For, only via our own proxies."""

import pytest
from django.test import Client, RequestFactory

from audit.models import AuditEvent
from kb.clientip import client_ip

PROXY = "10.0.0.2"


def ip(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.KB_TRUSTED_PROXIES = []
    assert ip("198.51.100.4", "203.0.113.5") == "198.51.100.4"


def test_it_believes_the_header_only_from_a_trusted_proxy(settings):
    settings.KB_TRUSTED_PROXIES = ["10.0.0.0/8", "fd00::/8"]
    assert ip(PROXY, "203.0.113.5") == "203.0.113.5"
    assert ip("198.51.100.4", "203.0.113.5") == "198.51.100.4"
    assert ip("fd00::1", "2001:db8::5") == "2001:db8::5"


def test_it_reads_the_chain_from_the_right(settings):
    settings.KB_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client put a fake first entry; our proxies appended the real one and themselves.
    assert ip(PROXY, "1.2.3.4, 203.0.113.5, 10.0.0.9") == "203.0.113.5"
    assert ip(PROXY, "203.0.113.5:4711") == "203.0.113.5"
    assert ip(PROXY, "[2001:db8::7]:443") == "2001:db8::7"
    # Garbage or nothing: the last hop we can vouch for.
    assert ip(PROXY, "not-an-ip, 10.0.0.9") == "10.0.0.9"
    assert ip(PROXY, "") == PROXY
    assert ip(PROXY) == PROXY
    assert ip("::ffff:10.0.0.2", "203.0.113.5") == "203.0.113.5"


def _fail(client: Client, forwarded: str):
    return client.post(
        "/accounts/login/", {"username": "editor", "password": "wrong"}, HTTP_X_FORWARDED_FOR=forwarded
    )


def _login(client: Client, forwarded: str):
    return client.post(
        "/accounts/login/", {"username": "editor", "password": "pw"}, HTTP_X_FORWARDED_FOR=forwarded
    )


@pytest.mark.django_db
def test_the_rate_limit_locks_the_real_client_behind_a_trusted_proxy(settings, editor):
    settings.KB_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR=PROXY)
    for _ in range(5):
        _fail(proxy, "203.0.113.5")
    assert _login(proxy, "203.0.113.5").status_code == 429
    # Another client behind the same proxy is not locked out with them.
    assert _login(Client(REMOTE_ADDR=PROXY), "203.0.113.6").status_code == 302
    failed = AuditEvent.objects.filter(action="login.failed")
    assert set(failed.values_list("address", flat=True)) == {"203.0.113.5"}


@pytest.mark.django_db
def test_a_forged_header_neither_dodges_the_limit_nor_fools_the_log(settings, editor):
    settings.KB_TRUSTED_PROXIES = ["10.0.0.0/8"]
    attacker = Client(REMOTE_ADDR="198.51.100.4")
    for n in range(5):
        _fail(attacker, f"203.0.113.{n}")
    assert _login(attacker, "203.0.113.99").status_code == 429
    failed = AuditEvent.objects.filter(action="login.failed")
    assert set(failed.values_list("address", flat=True)) == {"198.51.100.4"}
