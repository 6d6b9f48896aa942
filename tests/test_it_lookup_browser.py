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
    make_note(
        title="一覧",
        body="- コンテナを一覧表示する:\n\n`docker ps -a`\n\n- ログを見る:\n\n`docker logs {{name}}`\n",
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/lookup/")
    page.fill("#lookup-q", "コンテナ 一覧")
    page.press("#lookup-q", "Enter")
    assert page.locator(".lookup-results .command").first.inner_text() == "docker ps -a"
    # Controls that need the script are not offered without it.
    expect(page.locator("button.copy").first).to_be_hidden()
    page.goto("/lookup/?q=ログを見る")
    assert page.locator(".lookup-results .command").first.inner_text() == "docker logs <name>"
    expect(page.locator(".entry .fields").first).to_be_hidden()
    # ... and the page says so, and how to copy instead.
    # (in <noscript>, which Playwright's no-JavaScript mode still parses as text)
    assert "JavaScript が無効なため" in page.locator("#lookup-results noscript").inner_html()
    context.close()


COPY_NOTE = (
    "- コンテナからファイルを取り出す:\n\n`docker cp {{container}}:{{path}} {{dest}}`\n\n"
    "- ファイルを消す:\n\n`rm {{file}}`\n\n"
    '- 変更を記録する:\n\n`git commit -m "{{message}}"`\n\n'
    "- ファイルをまとめて固める:\n\n`tar czf {{archive.tar.gz}} {{path/to/file1 path/to/file2 ...}}`\n"
)


def _result_for(page, query: str, task: str):
    page.goto("/lookup/?q=" + query)
    result = page.locator(".lookup-results .entry", has_text=task).first
    result.wait_for()
    return result


def test_copied_command_quotes_each_value_as_one_shell_word(page, make_note):
    make_note(title="コピー", body=COPY_NOTE)
    result = _result_for(page, "コンテナからファイルを取り出す", "コンテナからファイルを取り出す")
    result.locator('input[data-ph="{{container}}"]').fill("web 1")
    result.locator('input[data-ph="{{path}}"]').fill("/var/log/my app.log")
    result.locator('input[data-ph="{{dest}}"]').fill("./out dir")
    expected = "docker cp 'web 1':'/var/log/my app.log' './out dir'"
    assert result.locator("[data-command]").inner_text() == expected  # what you see is what you copy
    result.locator("button.copy").click()
    expect(result.locator("button.copy")).to_have_class(re.compile(r"\bcopied\b"))
    assert page.evaluate("navigator.clipboard.readText()") == expected

    result = _result_for(page, "ファイルを消す", "ファイルを消す")
    result.locator('input[data-ph="{{file}}"]').fill("x; rm -rf ~")
    result.locator("button.copy").click()
    expect(result.locator("button.copy")).to_have_class(re.compile(r"\bcopied\b"))
    assert page.evaluate("navigator.clipboard.readText()") == "rm 'x; rm -rf ~'"

    # In "…" a ! would be history expansion for an interactive bash or zsh.
    result = _result_for(page, "変更を記録する", "変更を記録する")
    result.locator('input[data-ph="{{message}}"]').fill('release!v2 "ok"')
    result.locator("button.copy").click()
    expect(result.locator("button.copy")).to_have_class(re.compile(r"\bcopied\b"))
    assert page.evaluate("navigator.clipboard.readText()") == 'git commit -m "release"\'!\'"v2 \\"ok\\""'

    # A field for several values: each word typed is an argument of its own.
    result = _result_for(page, "ファイルをまとめて固める", "ファイルをまとめて固める")
    result.locator('input[data-ph="{{archive.tar.gz}}"]').fill("out.tgz")
    result.locator('input[data-ph="{{path/to/file1 path/to/file2 ...}}"]').fill("a.txt my.log")
    assert result.locator("[data-command]").inner_text() == "tar czf out.tgz a.txt my.log"


def test_the_keyboard_fills_the_fields_before_it_reaches_copy(page, make_note):
    make_note(title="コピー", body=COPY_NOTE)
    result = _result_for(page, "コンテナからファイルを取り出す", "コンテナからファイルを取り出す")
    result.locator('input[data-ph="{{container}}"]').focus()
    for _ in range(2):
        page.keyboard.press("Tab")
    expect(result.locator('input[data-ph="{{dest}}"]')).to_be_focused()
    page.keyboard.press("Tab")
    expect(result.locator("button.copy")).to_be_focused()
    # The button says which command it copies.
    described = result.locator("button.copy").get_attribute("aria-describedby")
    assert result.locator(f"#{described}").inner_text() == "docker cp <container>:<path> <dest>"


def test_copy_with_an_empty_field_is_blocked_and_says_which(page, make_note):
    make_note(title="コピー", body=COPY_NOTE)
    result = _result_for(page, "コンテナからファイルを取り出す", "コンテナからファイルを取り出す")
    # The raw template is never shown: {{name|id}} would be a pipe in bash.
    assert result.locator("[data-command]").inner_text() == "docker cp <container>:<path> <dest>"
    page.evaluate("navigator.clipboard.writeText('before')")
    result.locator('input[data-ph="{{container}}"]').fill("web")
    result.locator("button.copy").click()
    missing = result.locator(".missing")
    expect(missing).to_be_visible()
    expect(missing).to_contain_text("path")
    expect(missing).to_contain_text("dest")
    expect(result.locator('input[data-ph="{{path}}"]')).to_have_attribute("aria-invalid", "true")
    expect(result.locator('input[data-ph="{{path}}"]')).to_be_focused()
    assert page.evaluate("navigator.clipboard.readText()") == "before"
    result.locator('input[data-ph="{{path}}"]').fill("/a")
    result.locator('input[data-ph="{{dest}}"]').fill(".")
    result.locator("button.copy").click()
    expect(missing).to_be_hidden()
    expect(result.locator("button.copy")).to_have_class(re.compile(r"\bcopied\b"))
    assert page.evaluate("navigator.clipboard.readText()") == "docker cp web:/a ."
    # Refused right after a copy that worked (before its "copied" label times out): the
    # button no longer says it copied. Cleared and clicked in one go, so no time passes.
    label = result.locator("button.copy").evaluate(
        """(button) => {
            const input = button.closest("[data-entry]").querySelector('input[data-ph="{{dest}}"]');
            input.value = "";
            input.dispatchEvent(new Event("input", { bubbles: true }));
            button.click();
            return [button.className, button.textContent];
        }"""
    )
    assert "copied" not in label[0] and label[1] == "コピー"
    expect(missing).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == "docker cp web:/a ."


def test_the_value_named_in_the_task_is_already_filled_in(page, make_note):
    make_note(
        title="サービス",
        body="## 操作\n\n- Start, stop or restart a service:\n\n`systemctl {{start|stop|restart}} {{unit}}`\n",
    )
    page.goto("/lookup/")
    page.fill("#lookup-q", "restart a service")
    result = page.locator(".lookup-results .entry").first
    result.wait_for()
    expect(result.locator('input[data-ph="{{start|stop|restart}}"]')).to_have_value("restart")
    result.locator('input[data-ph="{{unit}}"]').fill("nginx")
    assert result.locator("[data-command]").inner_text() == "systemctl restart nginx"
    result.locator("button.copy").click()
    expect(result.locator("button.copy")).to_have_class(re.compile(r"\bcopied\b"))
    assert page.evaluate("navigator.clipboard.readText()") == "systemctl restart nginx"
