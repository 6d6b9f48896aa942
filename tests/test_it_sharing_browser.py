"""Share links in a real browser: an editor makes one, a stranger reads, revoking ends it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stranger(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_it_shares_one_note_with_a_stranger_until_revoked(page, stranger, login, editor, make_note, settings):
    settings.KB_PUBLIC_READ = False
    make_note(title="障害対応の手順", slug="incident", body="## 最初に\n\n再起動する前にログを取る。\n")
    make_note(title="給与の表", slug="salaries", body="見せてはいけない")
    login(page)
    page.goto("/notes/incident/")
    page.select_option("#share select[name=expires_in]", "7")
    page.click("#share button:has-text('共有リンクを作る')")
    page.wait_for_selector("#share input.share-url")
    url = page.input_value("#share input.share-url")
    assert "/s/" in url
    assert "まで" in page.locator("#share li").first.inner_text()

    stranger.goto(url)
    assert "リンクで共有" in stranger.locator(".shared-banner").inner_text()
    assert stranger.locator("h1").inner_text() == "障害対応の手順"
    assert "再起動する前にログを取る。" in stranger.locator(".note-body").inner_text()
    assert stranger.locator("nav.bar, form.search, header.site").count() == 0
    assert "給与" not in stranger.content()
    # The rest of the private site stays shut.
    stranger.goto("/notes/salaries/")
    assert "/accounts/login/" in stranger.url

    page.click("#share a:has-text('無効にする…')")
    assert page.locator("h1").inner_text() == "この共有リンクを無効にしますか？"
    page.click("main button:has-text('無効にする')")
    page.wait_for_selector("#share li.dead")
    stranger.goto(url)
    assert stranger.locator("h1").inner_text() == "このリンクは使えません"
    assert "再起動する前に" not in stranger.content()


CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def test_the_team_pages_run_without_csp_violations(page, stranger, login, kb_admin, make_note):
    from sharing.models import ShareLink
    from webhooks.models import Webhook

    note = make_note(title="手順", slug="steps", body="## 手順\n\n```sh\ndocker ps\n```\n")
    make_note(title="議事録テンプレート", slug="template-meeting", body="## 議題\n", tags=["template"])
    hook = Webhook.objects.create(name="chat", url="https://chat.example.com/h", events=["note.created"])
    link = ShareLink.create(note, user=kb_admin, days=None)
    page.context.add_init_script(CSP_WATCH)
    stranger.context.add_init_script(CSP_WATCH)
    login(page, "boss")
    for url in [
        "/notes/steps/",
        "/notes/steps/edit/",
        "/notes/new/?template=template-meeting",
        "/webhooks/",
        f"/webhooks/{hook.pk}/",
        "/audit/",
        "/export/",
    ]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__cspViolations") == [], url
    stranger.goto(link.get_absolute_url())
    stranger.wait_for_selector(".copy-button")  # kb.js runs on the shared page too
    assert stranger.evaluate("window.__cspViolations") == []
