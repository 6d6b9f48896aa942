import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_results_update_as_you_type_and_open_with_the_keyboard(page, make_note):
    from search.models import Synonym

    # The highlight of "volume" below comes from this starter synonym group. An earlier
    # transactional test's flush removes the migration's rows, so the test makes its own.
    Synonym.objects.get_or_create(words="ボリューム, volume")
    make_note(title="コンテナの破棄", body="止めたコンテナは `docker rm` で破棄する。")
    make_note(title="ボリュームのバックアップ", body="ボリュームを tar で固める。")
    wanted = make_note(title="ボリュームの作成", body="docker volume create でボリュームを作る。")

    page.goto("/")
    page.keyboard.press("/")
    page.keyboard.type("コンテナ")
    page.keyboard.press("Enter")  # the header box is a plain form
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.locator("#search-results mark").first.inner_text() == "コンテナ"

    box = page.locator("#search-q")
    box.fill("")
    box.type("ボリューム 作成", delay=30)  # htmx swaps the results in while typing
    # Locator assertions poll from Playwright's side; the CSP forbids in-page eval.
    links = page.locator("#search-results .result-link")
    expect(links).to_have_count(1)
    expect(links.first).to_contain_text("作成")
    # Polled: the swap for a half-typed query ("ボリューム 作") may still be showing.
    expect(page.locator("#search-results .snippet mark").nth(1)).to_be_attached()
    assert "q=" in page.url  # the URL follows the query, so it can be shared

    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.className") == "result-link"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{wanted.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "ボリュームの作成"


def test_back_after_opening_a_live_result_shows_the_whole_page(page, make_note):
    wanted = make_note(title="ボリュームの作成", body="docker volume create でボリュームを作る。")

    page.goto("/search/")
    page.locator("#search-q").type("ボリューム", delay=30)  # htmx fetches the fragment, pushes the URL
    link = page.locator("#search-results .result-link")
    expect(link).to_have_count(1)
    page.wait_for_url(re.compile(r"/search/\?q="))
    link.click()
    page.wait_for_url(f"**{wanted.get_absolute_url()}")
    page.go_back()
    page.wait_for_url(re.compile(r"/search/\?q="))
    expect(page.locator("header.site")).to_have_count(1)
    expect(page.locator("#search-q")).to_have_value("ボリューム")
    expect(page.locator("#search-results .result-link")).to_have_count(1)
