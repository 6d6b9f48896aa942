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


@pytest.mark.parametrize("anchor", ["setup-1", "setup_1"])  # GitHub's id, and kb's earlier one
def test_a_heading_link_shows_the_heading_below_the_sticky_header(page, make_note, anchor):
    filler = "".join(f"段落 {i}\n\n" for i in range(60))
    note = make_note(title="長いページ", body=f"## Setup\n\n{filler}## Setup\n\n最後\n\n{filler}")
    page.set_viewport_size({"width": 1000, "height": 600})
    page.goto(f"{note.get_absolute_url()}#{anchor}")
    heading = page.locator("h2#setup-1")
    expect(heading).to_be_visible()
    page.wait_for_timeout(200)
    header = page.locator("header.site").bounding_box()
    top = heading.bounding_box()["y"]
    assert header["y"] + header["height"] <= top < 300, (header, top)


def test_the_admin_pages_fit_a_phone(page, login, kb_admin, make_note):
    """375 px wide: no page scrolls sideways, and the webhook address takes the width."""
    from sharing.models import ShareLink
    from webhooks.models import Webhook

    note = make_note(title="手順", slug="steps", body="## 手順\n\n`docker ps`\n", tags=["docker"])
    ShareLink.create(note, user=kb_admin, days=None)
    long_url = "https://chat.example.com/hooks/" + "a" * 80
    Webhook.objects.create(name="chat", url=long_url, events=["note.created"])
    page.set_viewport_size({"width": 375, "height": 700})
    login(page, "boss")
    link = ShareLink.objects.get()
    for url in ["/webhooks/", "/notes/steps/", f"/share/{link.pk}/revoke/", "/accounts/tokens/", "/audit/"]:
        page.goto(url)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 375, (url, width)
    page.goto("/webhooks/")
    assert page.locator("#id_url").bounding_box()["width"] > 300
    # An admin's ten header links keep to one line that scrolls sideways (they took four),
    # and the home heading fits its line.
    page.goto("/")
    links = page.locator("header .links")
    assert links.bounding_box()["height"] < 60
    assert links.evaluate("el => el.scrollWidth > el.clientWidth")
    heading = page.locator(".hero h1")
    line = float(heading.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)"))
    assert heading.bounding_box()["height"] < 1.5 * line
