import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from search.models import Synonym

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _starter_synonyms():
    """The synonym groups migrations seed (作成 = create, …), which another transactional
    test's flush empties; whether they were still cached used to depend on timing."""
    from importlib import import_module

    from django.apps import apps

    from search import synonyms
    from search.models import Synonym

    if not Synonym.objects.exists():
        import_module("search.migrations.0002_starter_synonyms").add(apps, None)
        import_module("search.migrations.0004_size_synonyms").widen(apps, None)
    synonyms.clear()
    yield
    synonyms.clear()


def test_results_update_as_you_type_and_open_with_the_keyboard(page, make_note):
    # The starter synonyms come from a data migration, which an earlier transactional
    # test's flush removes; the highlight below needs this group.
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
    # The URL follows the last swap: wait for the whole query's results, not a half-typed one's.
    page.wait_for_url(lambda url: unquote(url).replace("+", " ").endswith("q=ボリューム 作成"))
    # Locator assertions poll from Playwright's side; the CSP forbids in-page eval.
    links = page.locator("#search-results .result-link")
    # The note with both words first; the one with only ボリューム follows (partial match).
    expect(links).to_have_count(2)
    expect(links.first).to_contain_text("作成")
    expect(links.nth(1)).to_contain_text("バックアップ")
    assert page.locator("#search-results .snippet mark").count() >= 2
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


@pytest.mark.parametrize("path,box", [("/search/", "#search-q"), ("/lookup/", "#lookup-q")])
def test_back_and_forward_after_typing_put_the_query_back_in_the_box(page, make_note, path, box):
    make_note(title="コンテナの破棄", body="止めたコンテナは `docker rm web` で破棄する。")
    page.goto(path)
    page.locator(box).type("docker rm", delay=30)
    page.wait_for_url(lambda url: unquote(url).replace("+", " ").endswith("q=docker rm"))
    page.locator(box).type(" -f", delay=30)
    page.wait_for_url(lambda url: unquote(url).replace("+", " ").endswith("q=docker rm -f"))
    page.go_back()
    page.wait_for_url(lambda url: unquote(url).replace("+", " ").endswith("q=docker rm"))
    expect(page.locator(box)).to_have_value("docker rm")
    page.go_forward()
    page.wait_for_url(lambda url: unquote(url).replace("+", " ").endswith("q=docker rm -f"))
    expect(page.locator(box)).to_have_value("docker rm -f")
