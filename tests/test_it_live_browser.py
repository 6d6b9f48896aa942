"""Live queries: the header box drops results down, and nothing is asked mid-conversion."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_header_box_shows_results_as_you_type(page, make_note):
    make_note(title="ボリュームのバックアップ", body="ボリュームを tar で固める。")
    wanted = make_note(title="ボリュームの作成", body="docker volume create でボリュームを作る。")
    page.goto("/tags/")
    page.keyboard.press("/")
    page.keyboard.type("ボリューム", delay=30)
    listbox = page.locator("#quicksearch")
    expect(listbox).to_be_visible()
    options = listbox.locator("[role=option]")
    expect(options).to_have_count(3)  # two notes and "all results"
    expect(options.last).to_contain_text("すべての結果")
    expect(page.locator("[data-search-box]")).to_have_attribute("aria-expanded", "true")

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = options.nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(page.locator("[data-search-box]")).to_have_attribute(
        "aria-activedescendant", second.get_attribute("id")
    )
    title = second.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/notes/"))
    assert page.locator("h1").inner_text() == title
    assert title in {"ボリュームのバックアップ", wanted.title}

    page.keyboard.press("/")
    page.keyboard.type("ボリューム", delay=30)
    expect(options).to_have_count(3)
    page.keyboard.press("ArrowUp")  # from the box, up wraps to "all results"
    expect(options.last).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    expect(page.locator("#search-results .result-link")).to_have_count(2)


def test_header_box_escape_closes_and_enter_without_a_choice_searches(page, make_note):
    make_note(title="ボリュームの作成", body="docker volume create でボリュームを作る。")
    page.goto("/tags/")
    page.keyboard.press("/")
    page.keyboard.type("ボリューム", delay=30)
    expect(page.locator("#quicksearch")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#quicksearch")).to_be_hidden()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))


def test_header_box_searches_a_pasted_log_by_its_start_and_never_keeps_old_hits(page, make_note):
    make_note(title="ポートの公開", body="docker run -p 8080:80 で公開する。")
    make_note(title="ログの見方", body="Error: connection refused と出たら DB を待つ。")
    page.goto("/tags/")
    page.keyboard.press("/")
    page.keyboard.type("-p", delay=30)
    options = page.locator("#quicksearch [role=option]")
    expect(options.first).to_contain_text("ポートの公開")
    # A pasted error log longer than the API takes: its start is asked, and the -p hits go.
    page.locator("[data-search-box]").fill("Error: connection refused " + "x" * 600)
    page.locator("[data-search-box]").dispatch_event("input")
    expect(options.first).to_contain_text("ログの見方")
    expect(page.locator("#quicksearch")).not_to_contain_text("ポートの公開")


def test_with_no_note_found_the_header_box_offers_the_lookup(page, make_note):
    make_note(title="ポートの公開", body="docker run -p 8080:80 で公開する。")
    page.goto("/tags/")
    page.keyboard.press("/")
    page.keyboard.type("zzqqxx", delay=30)
    options = page.locator("#quicksearch [role=option]")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("こうしたい")
    assert options.first.locator("a").get_attribute("href") == "/lookup/?q=zzqqxx"


def test_the_header_box_is_empty_on_the_lookup_page(page):
    page.goto("/lookup/?q=" + "コンテナを消したい")
    expect(page.locator("[data-search-box]")).to_have_value("")


def _compose(page, selector: str, steps: list[str]):
    """Type through an input method: composition updates, each left long enough to be asked."""
    page.click(selector)
    cdp = page.context.new_cdp_session(page)
    for text in steps:
        cdp.send(
            "Input.imeSetComposition", {"text": text, "selectionStart": len(text), "selectionEnd": len(text)}
        )
        page.wait_for_timeout(400)  # longer than the live boxes wait before asking
    return cdp


@pytest.mark.parametrize(
    ("url", "selector", "endpoint"),
    [
        ("/lookup/", "#lookup-q", "/lookup/"),
        ("/search/", "#search-q", "/search/"),
        ("/tags/", "[data-search-box]", "/api/search"),
    ],
)
def test_nothing_is_asked_while_an_input_method_composes(page, make_note, url, selector, endpoint):
    make_note(title="コンテナの削除", body="- コンテナを削除する:\n\n`docker rm web`\n")
    page.goto(url)
    asked: list[str] = []

    def record(request):
        parsed = urlparse(request.url)
        if parsed.path == endpoint and "q" in parse_qs(parsed.query):
            asked.append(parse_qs(parsed.query)["q"][0])

    page.on("request", record)
    cdp = _compose(page, selector, ["こ", "こん", "こんて", "こんてな"])
    asks = lambda request: urlparse(request.url).path == endpoint  # noqa: E731
    with page.expect_request(asks):
        cdp.send("Input.insertText", {"text": "コンテナ"})  # the converted text is committed
    expect(page.locator(selector)).to_have_value("コンテナ")
    page.wait_for_timeout(500)
    assert asked == ["コンテナ"]
