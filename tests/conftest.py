from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# would otherwise refuse to be called from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_vectors():
    """Each test sees its own vectors: no cached model choice, query vectors or readiness."""
    from vectors import backends, search

    backends.backend.cache_clear()
    search.forget_readiness()
    search._cache.clear()
    search._pending.clear()
    search._asked.clear()
    yield
    backends.backend.cache_clear()
    search.forget_readiness()
    search._asked.clear()
    # Nearest neighbours asked in the background (outside a transaction: live servers and
    # transactional tests) leave that thread a connection to the test database.
    search.close_background_connections()


@pytest.fixture(autouse=True)
def _fresh_learnt_words():
    """Field-label words and tools' subcommands are learnt from the entries and cached; each
    test learns its own."""
    from lookup import meaning, presets

    presets._label_cache = (float("-inf"), frozenset())
    meaning._subcommands = (float("-inf"), {})
    yield
    presets._label_cache = (float("-inf"), frozenset())
    meaning._subcommands = (float("-inf"), {})


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


def _with_role(user, role: str):
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def user(django_user_model):
    """A reader: may read, may not write."""
    return _with_role(django_user_model.objects.create_user("reader", password="pw"), "readers")


@pytest.fixture
def editor(django_user_model):
    return _with_role(django_user_model.objects.create_user("editor", password="pw"), "editors")


@pytest.fixture
def kb_admin(django_user_model):
    """Member of the admins role (not a Django superuser)."""
    return _with_role(django_user_model.objects.create_user("boss", password="pw"), "admins")


@pytest.fixture
def reader_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def make_note(db):
    from notes.models import Note

    def make(title: str = "メモ", body: str = "本文", tags: list[str] | None = None, **fields) -> Note:
        note = Note(title=title, body=body, **fields)
        note.save_with_tags(tags or [])
        return note

    return make


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ja-JP")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def login(live_server):
    """Log a Playwright page in through the real login form."""

    def do_login(page, username: str = "editor", password: str = "pw") -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("form.login button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return do_login


@pytest.fixture
def copy_fixture(tmp_path):
    def copy(name: str) -> Path:
        src = FIXTURES / name
        dest = tmp_path / name
        if src.is_dir():
            shutil.copytree(src, dest)
        else:
            shutil.copyfile(src, dest)
        return dest

    return copy


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_down(transactional_db):
    """A context manager that makes PostgreSQL unreachable: connections go to a closed port.

    Every thread's connection reads the same settings dict, so a live server
    loses its database too; leaving the block restores the real server.
    """
    from contextlib import contextmanager

    from django.db import connections

    @contextmanager
    def down():
        conn = connections["default"]
        conn.close()
        saved = dict(conn.settings_dict)
        conn.settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
        try:
            yield
        finally:
            conn.close()
            conn.settings_dict.clear()
            conn.settings_dict.update(saved)

    return down
