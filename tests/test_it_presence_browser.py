"""Who is editing, in two real browsers: each sees the other, and the notice goes when one leaves."""

from datetime import timedelta

import pytest
from django.utils import timezone

from presence.models import Editing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICE = "#editing-now .editing-others"


@pytest.fixture
def hanako(django_user_model, editor):
    user = django_user_model.objects.create_user("hanako", password="pw", first_name="花子")
    user.groups.add(*editor.groups.all())
    return user


@pytest.fixture
def other_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_it_shows_who_else_is_editing(page, other_page, login, editor, hanako, make_note, settings):
    # Beat every second instead of every 20, so the test need not wait.
    settings.KB_EDITING_HEARTBEAT_SECONDS = 1
    make_note(title="ポート", slug="ports", body="docker run -p 8080:80 nginx\n")
    login(page)
    login(other_page, "hanako")

    page.goto("/notes/ports/edit/")
    assert page.locator(NOTICE).count() == 0

    other_page.goto("/notes/ports/edit/")
    other_page.wait_for_selector(NOTICE)
    assert other_page.locator(NOTICE).inner_text().startswith("editorさんが編集中")
    # The first editor learns of her on a following heartbeat, without reloading.
    page.wait_for_selector(NOTICE)
    assert page.locator(NOTICE).inner_text().startswith("花子さんが編集中")

    # She saves and leaves: the notice goes away on his next heartbeat.
    other_page.fill("#id_body", "docker run -p 127.0.0.1:8080:80 nginx\n")
    other_page.click("form.editor button[type=submit]")
    other_page.wait_for_url("**/notes/ports/")
    page.wait_for_selector(NOTICE, state="detached")

    # A browser that vanishes without saying goodbye counts for a minute, then no more.
    Editing.objects.create(note_id=page_note_id(), user=hanako, seen_at=timezone.now())
    page.wait_for_selector(NOTICE)
    Editing.objects.filter(user=hanako).update(seen_at=timezone.now() - timedelta(seconds=61))
    page.wait_for_selector(NOTICE, state="detached")

    # The 409 conflict page is still the safety net behind the notice.
    page.fill("#id_body", "docker run nginx\n")
    page.click("form.editor button[type=submit]")
    page.wait_for_selector("#conflict")


def page_note_id() -> int:
    from notes.models import Note

    return Note.objects.get(slug="ports").pk
