"""The editor as a user drives it: live preview, wiki links, the "create this note" link, backlinks."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_preview_wiki_links_and_backlinks(page, login, editor, make_note):
    make_note(title="Docker basics", slug="docker-basics", body="x")
    login(page)
    page.goto("/notes/new/")
    page.fill("#id_title", "手順メモ")
    body = page.locator("textarea").first
    body.fill("1. 準備\n   - 入れる\n\n> [!TIP]\n> ヒント\n\n[[Docker basics]] と [[まだない]]\n")
    body.press("End")
    body.type(" ")  # markdownx previews on input
    expect(page.locator(".markdownx-preview .markdown-alert-tip")).to_be_visible(timeout=10000)
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("ol > li > ul > li")).to_have_text("入れる")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url("**/notes/*/")
    page.get_by_text("まだない").click()
    page.wait_for_url("**/notes/new/?title=*")
    assert page.locator("#id_title").input_value() == "まだない"
    page.goto("/notes/docker-basics/")
    expect(page.locator("#backlinks")).to_contain_text("手順メモ")
