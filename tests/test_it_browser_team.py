import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVE = "form.editor button[type=submit]"
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def second_editor(django_user_model, editor):
    other = django_user_model.objects.create_user("hanako", password="pw")
    other.groups.add(*editor.groups.all())
    return other


@pytest.fixture
def other_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_it_shows_the_conflict_page_to_the_second_of_two_editors(
    page, other_page, login, editor, second_editor, make_note
):
    make_note(title="ポート", slug="ports", body="docker run -p 8080:80 nginx\n")
    login(page)
    login(other_page, "hanako")
    page.goto("/notes/ports/edit/")
    other_page.goto("/notes/ports/edit/")

    page.fill("#id_body", "docker run -p 127.0.0.1:8080:80 nginx\n")
    page.click(SAVE)
    page.wait_for_url("**/notes/ports/")

    hanakos_text = "docker run -p 8080:80 nginx\n\n外部に公開しないこと。\n"
    other_page.fill("#id_body", hanakos_text)
    other_page.fill("#id_message", "注意を追加")
    other_page.click(SAVE)
    other_page.wait_for_selector("#conflict")
    assert "127.0.0.1:8080:80" in other_page.locator("#conflict").inner_text()
    assert other_page.locator("#conflict ins").first.inner_text().strip() == "外部に公開しないこと。"
    # Nothing lost: her text and summary are still in the form.
    assert other_page.input_value("#id_body") == hanakos_text
    assert other_page.input_value("#id_message") == "注意を追加"

    merged = "docker run -p 127.0.0.1:8080:80 nginx\n\n外部に公開しないこと。\n"
    other_page.fill("#id_body", merged)
    other_page.click(SAVE)
    other_page.wait_for_url("**/notes/ports/")
    assert "外部に公開しないこと。" in other_page.locator(".note-body").inner_text()
    assert "127.0.0.1:8080:80" in other_page.locator(".note-body").inner_text()


def test_it_runs_its_pages_without_csp_violations(page, login, editor, make_note):
    note = make_note(
        title="コンテナのログ", body="## ログ\n\n```sh\ndocker logs -f web\n```\n", tags=["docker"]
    )
    note.body += "\n追記\n"
    note.save_with_tags(["docker"])
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    page.context.add_init_script(CSP_WATCH)
    login(page)
    slug_url = note.get_absolute_url()
    urls = [
        "/",
        slug_url,
        slug_url + "history/",
        slug_url + "diff/?a=1&b=2",
        slug_url + "edit/",
        "/notes/new/",
        "/changes/",
        "/accounts/tokens/",
        "/search/?q=%E3%83%AD%E3%82%B0",
        "/lookup/?q=logs",
        "/lookup/new/",
        "/cheatsheet/docker/",
        "/tags/",
    ]
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__cspViolations") == [], url
    # The editor's live preview (django-markdownx) works under the policy.
    page.goto(slug_url + "edit/")
    page.fill("#id_body", "## 見出し\n\n**太字**")
    page.wait_for_selector(".markdownx-preview strong")
    assert page.evaluate("window.__cspViolations") == []
    page.goto(slug_url)
    page.wait_for_selector(".copy-button")
    assert not [text for text in console if "Content Security Policy" in text], console
