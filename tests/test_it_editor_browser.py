"""The editor never loses typing, and uploads say why they were refused."""

import base64
import json
import re

import pytest
from playwright.sync_api import expect

from notes.models import Note

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVE = "form.editor button[type=submit]"


def _draft_keys(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('kb-draft:'))")


def _wait_for_draft(page) -> None:
    # wait_for_function evaluates a string, which the site's CSP refuses; poll instead.
    for _ in range(50):
        if _draft_keys(page):
            return
        page.wait_for_timeout(100)
    raise AssertionError("no draft was kept")


def _type_into_body(page, text: str) -> None:
    page.click("#id_body")
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def test_reload_offers_the_draft_and_a_save_clears_it(page, login, editor, make_note):
    note = make_note(title="手順", body="元の本文\n")
    login(page)
    page.goto(note.get_absolute_url() + "edit/")
    expect(page.locator("[data-draft-offer]")).to_be_hidden()
    _type_into_body(page, "書きかけの段落")
    _wait_for_draft(page)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.accept()))
    page.reload()

    offer = page.locator("[data-draft-offer]")
    expect(offer).to_be_visible()
    assert page.input_value("#id_body") == "元の本文\n"  # nothing is replaced without asking
    offer.locator("[data-draft-restore]").click()
    expect(offer).to_be_hidden()
    assert page.input_value("#id_body") == "元の本文\n書きかけの段落"

    page.click(SAVE)
    page.wait_for_url(note.get_absolute_url())
    note.refresh_from_db()
    assert note.body == "元の本文\n書きかけの段落"
    assert _draft_keys(page) == []
    page.goto(note.get_absolute_url() + "edit/")
    expect(page.locator("[data-draft-offer]")).to_be_hidden()


def test_drafts_are_per_note_and_a_failed_save_keeps_the_draft(page, login, editor, make_note):
    first = make_note(title="一つ目", body="a\n")
    second = make_note(title="二つ目", body="b\n")
    login(page)
    page.goto(first.get_absolute_url() + "edit/")
    page.fill("#id_title", "")  # a save that the form refuses
    _type_into_body(page, "残したい文")
    _wait_for_draft(page)
    page.click(SAVE)
    expect(page.locator(".field.has-error")).to_be_visible()
    page.goto(second.get_absolute_url() + "edit/")
    expect(page.locator("[data-draft-offer]")).to_be_hidden()
    page.goto("/")
    page.goto(first.get_absolute_url() + "edit/")
    expect(page.locator("[data-draft-offer]")).to_be_visible()
    [key] = _draft_keys(page)
    assert json.loads(page.evaluate(f"localStorage.getItem('{key}')"))["body"] == "a\n残したい文"


def test_leaving_with_unsaved_changes_asks_first(page, login, editor, make_note):
    note = make_note(title="警告", body="本文\n")
    login(page)
    page.goto(note.get_absolute_url() + "edit/")
    page.goto("/tags/")  # nothing typed: no question
    page.goto(note.get_absolute_url() + "edit/")
    _type_into_body(page, "未保存")
    dialogs: list[str] = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    with pytest.raises(Exception):  # noqa: B017, PT011 - the navigation is cancelled
        page.goto("/tags/", timeout=3000)
    assert dialogs == ["beforeunload"]
    assert page.input_value("#id_body") == "本文\n未保存"


def test_a_refused_upload_shows_the_reason_and_leaves_the_body_alone(
    page, login, editor, make_note, tmp_path
):
    note = make_note(title="画像", body="本文\n")
    fake = tmp_path / "screenshot.png"
    fake.write_text("this is not an image")
    login(page)
    page.goto(note.get_absolute_url() + "edit/")
    expect(page.locator("[data-upload-button]")).to_be_visible()
    page.set_input_files("[data-upload-input]", str(fake))
    status = page.locator("[data-upload-status]")
    expect(status).to_be_visible()
    expect(status).to_have_class("upload-status error")
    expect(status).to_contain_text("screenshot.png")
    expect(status).to_contain_text("画像でないか")  # the server's own reason (Django's message)
    assert page.input_value("#id_body") == "本文\n"


def test_picking_and_pasting_images_insert_them(page, login, editor, make_note, fixtures_dir):
    note = make_note(title="画像", body="本文\n")
    png = fixtures_dir / "import" / "images" / "ports.png"
    login(page)
    page.goto(note.get_absolute_url() + "edit/")
    page.set_input_files("[data-upload-input]", str(png))
    # The caret was never put anywhere: the image follows the text.
    expect(page.locator("#id_body")).to_have_value(re.compile(r"^本文\n\n?!\[ports\]\(/media/uploads/"))
    # Where the writer clicked, it goes there.
    page.fill("#id_body", "上\n下\n")
    page.click("#id_body")
    page.evaluate("document.querySelector('#id_body').setSelectionRange(2, 2)")
    page.set_input_files("[data-upload-input]", str(png))
    expect(page.locator("#id_body")).to_have_value(
        re.compile(r"^上\n\n?!\[ports\]\(/media/uploads/[^)]*\)\n?下\n$")
    )

    page.fill("#id_body", "")
    data = base64.b64encode(png.read_bytes()).decode()
    page.evaluate(
        """data => {
        const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], "clip.png", {type: "image/png"}));
        document.querySelector("#id_body").dispatchEvent(
            new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true}));
    }""",
        data,
    )
    expect(page.locator("#id_body")).to_have_value(re.compile(r"^\n!\[clip\]\(/media/uploads/"))
    assert "Invalid response" not in page.input_value("#id_body")
    assert Note.objects.get(pk=note.pk).body == "本文\n"  # uploading is not saving


def test_a_draft_restored_after_someone_elses_save_goes_through_the_conflict_page(
    page, login, editor, make_note, django_user_model
):
    note = make_note(title="共有", body="最初\n")
    note.save_with_tags([], editor=editor)  # revision 1
    login(page)
    page.goto(note.get_absolute_url() + "edit/")
    _type_into_body(page, "私の追記")
    _wait_for_draft(page)
    page.on("dialog", lambda d: d.accept())
    note.body = "最初\n他の人の追記\n"
    note.save_with_tags([], editor=django_user_model.objects.create_user("hanako"))  # revision 2
    page.reload()
    page.locator("[data-draft-restore]").click()
    page.click(SAVE)
    expect(page.locator("#conflict")).to_be_visible()  # not saved over the other edit
    note.refresh_from_db()
    assert note.body == "最初\n他の人の追記\n"
    assert page.input_value("#id_body") == "最初\n私の追記"


def test_cancel_throws_the_draft_away_and_the_offer_speaks_the_pages_language(page, login, editor, make_note):
    note = make_note(title="取り消し", body="本文\n")
    login(page)
    page.goto(note.get_absolute_url() + "edit/")
    _type_into_body(page, "書きかけ")
    _wait_for_draft(page)
    page.reload()
    offer = page.locator("[data-draft-offer]")
    expect(offer).to_be_visible()
    # A Japanese page shows the time the Japanese way (2026/12/7 …), inside 「（…）。」.
    assert re.search(r"（\d{4}/\d{1,2}/\d{1,2} [\d:]+）。", offer.inner_text()), offer.inner_text()

    offer.locator("[data-draft-discard]").click()
    _type_into_body(page, "やっぱりやめる")
    _wait_for_draft(page)
    page.on("dialog", lambda d: d.accept())
    page.click("[data-draft-cancel]")
    page.wait_for_url(note.get_absolute_url())
    assert _draft_keys(page) == []
    page.goto(note.get_absolute_url() + "edit/")
    expect(page.locator("[data-draft-offer]")).to_be_hidden()


def test_logging_out_deletes_this_browsers_drafts_after_asking(page, login, editor, make_note):
    note = make_note(title="手順", body="元の本文\n")
    login(page)
    page.goto(note.get_absolute_url() + "edit/")
    _type_into_body(page, "共有PCで書きかけ")
    _wait_for_draft(page)
    # From the editor itself: one question, not kb's and then the browser's "leave this page?".
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.click("form[data-logout] button")
    page.wait_for_timeout(300)
    assert asked and "1 件" in asked[0]
    assert _draft_keys(page) and "/accounts/login/" not in page.url  # dismissed: nothing happens
    page.on("dialog", lambda d: (asked.append(d.type), d.accept()))
    page.click("form[data-logout] button")
    page.wait_for_load_state()
    for _ in range(30):
        if not page.evaluate("document.querySelector('form[data-logout]')"):
            break
        page.wait_for_timeout(100)
    assert _draft_keys(page) == []
    assert not page.evaluate("document.querySelector('form[data-logout]')")  # logged out
    assert asked.count("beforeunload") == 0, asked
