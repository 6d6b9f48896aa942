import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_copies_a_code_block_from_a_note(page, make_note):
    note = make_note(
        title="コンテナのログ",
        body="## ログを追う\n\n```sh\ndocker logs -f --tail 100 web\n```\n",
    )
    page.goto(note.get_absolute_url())
    assert page.locator("h1").inner_text() == "コンテナのログ"
    button = page.locator(".note-body pre .copy-button")
    button.click()
    expect(button).to_have_class(re.compile(r"\bcopied\b"))
    assert page.evaluate("navigator.clipboard.readText()") == "docker logs -f --tail 100 web"


def test_it_focuses_search_with_slash(page, make_note):
    page.goto("/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
