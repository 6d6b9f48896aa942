import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_type_a_task_fill_a_placeholder_and_copy(page, make_note):
    make_note(
        title="コンテナの後片付け",
        body="## 削除\n\n- 停止したコンテナを削除する:\n\n`docker rm {{[-f|--force]}} [コンテナ名]`\n",
    )
    page.goto("/lookup/")
    page.fill("#lookup-q", "コンテナを削除したい")  # htmx fetches results as you type
    result = page.locator(".lookup-results .entry").first
    result.wait_for()
    assert result.locator(".task").inner_text() == "停止したコンテナを削除する"
    result.locator('input[data-ph="[コンテナ名]"]').fill("web-1")
    result.locator('select[data-ph="{{[-f|--force]}}"]').select_option("--force")
    assert result.locator("[data-command]").inner_text() == "docker rm --force web-1"
    result.locator("button.copy").click()
    expect(result.locator("button.copy")).to_have_class(re.compile(r"\bcopied\b"))
    assert page.evaluate("navigator.clipboard.readText()") == "docker rm --force web-1"
    assert "q=" in page.url  # the URL follows the query, so the page can be shared


def test_lookup_works_without_javascript(browser, live_server, make_note):
    make_note(title="一覧", body="- コンテナを一覧表示する:\n\n`docker ps -a`\n")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/lookup/")
    page.fill("#lookup-q", "コンテナ 一覧")
    page.press("#lookup-q", "Enter")
    assert page.locator(".lookup-results .command").first.inner_text() == "docker ps -a"
    context.close()
