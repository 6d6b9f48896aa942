import re

import pytest
from django.urls import reverse

from history.diff import diff
from history.models import Revision
from notes.models import Note

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_it_records_a_revision_for_each_save_with_author_and_message(editor_client, editor):
    editor_client.post("/notes/new/", {"title": "ログ", "body": "v1", "tags": "docker", "message": "最初"})
    note = Note.objects.get(title="ログ")
    editor_client.post(
        f"/notes/{note.slug}/edit/", {"title": "ログ", "body": "v2", "tags": "docker", "base_revision": "1"}
    )
    revs = list(Revision.objects.of(note.pk))
    assert [(r.number, r.body, r.author, r.message) for r in revs] == [
        (2, "v2", editor, ""),
        (1, "v1", editor, "最初"),
    ]
    assert revs[1].tags == ["docker"]


def test_it_skips_saves_that_change_nothing(make_note):
    note = make_note(title="同じ", body="x", tags=["a"])
    note.save_with_tags(["A"])
    assert Revision.objects.of(note.pk).count() == 1


def test_it_records_imports_and_admin_saves(admin_client, fixtures_dir):
    from notes.importing import import_paths

    import_paths([fixtures_dir / "import" / "plain.md"])
    note = Note.objects.get()
    first = Revision.objects.of(note.pk).get()
    assert (first.message, first.message_code, first.message_params) == (
        "",
        "imported",
        {"source": "plain.md"},
    )
    response = admin_client.post(
        f"/admin/notes/note/{note.pk}/change/", {"title": note.title, "slug": note.slug, "body": "admin edit"}
    )
    assert response.status_code == 302
    latest = Revision.objects.of(note.pk).first()
    assert (latest.number, latest.body, latest.author.username) == (2, "admin edit", "admin")


def test_it_shows_history_and_a_character_level_diff_for_japanese(client, make_note):
    note = make_note(title="削除", body="# 手順\nコンテナを削除する。\n\n<script>alert(1)</script>\n")
    # One revision: nothing to compare, so no compare controls.
    history = client.get(f"/notes/{note.slug}/history/").content.decode()
    assert 'name="a"' not in history and "選んだ版を比較" not in history
    note.body = "# 手順\nコンテナを破棄する。\n\n<script>alert(2)</script>\n"
    note.save_with_tags(message="言い換え")
    history = client.get(f"/notes/{note.slug}/history/").content.decode()
    assert "言い換え" in history and 'name="a" value="1"' in history
    html = client.get(f"/notes/{note.slug}/diff/?a=1&b=2").content.decode()
    assert "<del>削除</del>" in html and "<ins>破棄</ins>" in html
    assert "コンテナを<del>" in html
    # Note text is data: escaped, never markup.
    assert "<script>" not in html and "&lt;script&gt;alert(" in html
    assert client.get(f"/notes/{note.slug}/diff/?a=x&b=2").status_code == 400
    assert client.get(f"/notes/{note.slug}/diff/?a=1&b=9").status_code == 404


def test_it_diffs_phrases_and_keeps_context_short():
    old = "\n".join(f"行{i}" for i in range(40))
    new = old.replace("行20", "行20 docker compose up -d")
    result = diff(old, new)
    kinds = [line.kind for line in result.lines]
    assert kinds.count("skip") == 2 and kinds.count("same") == 6
    inserted = next(line for line in result.lines if line.kind == "ins")
    assert inserted.segments == [("行20", False), (" docker compose up -d", True)]
    assert (result.added, result.removed) == (1, 1)
    assert not diff("同じ", "同じ").changed


def test_it_restores_an_old_revision_as_a_new_one(editor_client, make_note):
    note = make_note(title="元", body="最初の本文", tags=["a"])
    note.body = "壊れた本文"
    note.save_with_tags(["b"])
    page = editor_client.get(f"/notes/{note.slug}/revisions/1/").content.decode()
    assert "最初の本文" in page and "/revisions/1/restore/" in page
    response = editor_client.post(f"/notes/{note.slug}/revisions/1/restore/")
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "最初の本文" and list(note.tags.names()) == ["a"]
    latest = Revision.objects.of(note.pk).first()
    assert latest.number == 3 and (latest.message_code, latest.message_params) == ("restored", {"number": 1})
    assert editor_client.get(f"/notes/{note.slug}/revisions/1/restore/").status_code == 405


def test_it_lets_admins_restore_deleted_notes(client, editor, kb_admin, make_note):
    note = make_note(title="消える", slug="kieru", body="大事な本文", tags=["x"])
    pk = note.pk
    client.force_login(editor)
    client.post("/notes/kieru/delete/")
    assert not Note.objects.filter(pk=pk).exists()
    deletion = Revision.objects.of(pk).first()
    assert (deletion.kind, deletion.author, deletion.note) == ("delete", editor, None)
    assert client.post(f"/trash/{pk}/restore/").status_code == 403

    client.force_login(kb_admin)
    trash = client.get("/trash/").content.decode()
    assert "消える" in trash
    assert "大事な本文" in client.get(f"/trash/{pk}/").content.decode()
    response = client.post(f"/trash/{pk}/restore/")
    assert response.status_code == 302 and response["Location"] == "/notes/kieru/"
    note = Note.objects.get(pk=pk)
    assert (note.body, list(note.tags.names())) == ("大事な本文", ["x"])
    assert [r.number for r in Revision.objects.of(pk)] == [3, 2, 1]
    assert all(r.note_id == pk for r in Revision.objects.of(pk))
    assert f'/trash/{pk}/"' not in client.get("/trash/").content.decode()
    assert client.post(f"/trash/{pk}/restore/").status_code == 404


def test_it_lists_recent_changes_and_an_atom_feed(client, make_note):
    note = make_note(title="変更点", body="a")
    note.body = "b"
    note.save_with_tags(message="<b>要約</b>")
    page = client.get("/changes/").content.decode()
    assert "変更点" in page and reverse("note_diff", args=[note.slug]) + "?a=1&amp;b=2" in page
    assert "&lt;b&gt;要約" in page
    feed = client.get("/changes/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    xml = feed.content.decode()
    assert "<feed" in xml and "変更点 (#2)" in xml and "urn:kb:revision:" in xml
    assert "<b>" not in xml


def test_a_control_character_in_a_title_is_refused_and_never_breaks_the_feed(editor_client, make_note):
    response = editor_client.post("/notes/new/", {"title": "ctl\x07title", "body": "x", "tags": ""})
    assert response.status_code == 200
    assert "制御文字（U+0007）" in response.content.decode()
    assert not Note.objects.filter(title__contains="ctl").exists()
    # A title saved before titles were checked (or through the ORM) is left out of the XML.
    make_note(title="bell\x07 \x1b[31mred", body="x")
    feed = editor_client.get("/changes/feed/")
    assert feed.status_code == 200
    assert "bell [31mred (#1)" in feed.content.decode()


@pytest.mark.parametrize("title", ["右から左\u202eへ", "非文字\ufffe", "esc \x1b[31m"])
def test_invisible_characters_are_refused_by_the_form_and_the_admin(editor_client, admin_client, title):
    response = editor_client.post("/notes/new/", {"title": title, "body": "x", "tags": ""})
    assert "制御文字" in response.content.decode()
    response = admin_client.post("/admin/notes/note/add/", {"title": title, "body": "x", "tags": ""})
    assert response.status_code == 200 and "制御文字" in response.content.decode()
    assert not Note.objects.exists()


def test_a_tab_in_a_title_is_a_space(editor_client):
    page = editor_client.post("/notes/new/", {"title": "列1\t列2", "body": "x", "tags": "ok, #bad\x1b"})
    assert not Note.objects.exists()  # the tag is refused
    # The message quotes the tag with the character spelled out, not echoed (the box keeps it).
    message = page.content.decode().split('<p class="error">', 1)[1].split("</p>", 1)[0]
    assert "bad&lt;U+001B&gt;" in message and "\x1b" not in message
    editor_client.post("/notes/new/", {"title": "列1\t列2", "body": "x", "tags": "ok"})
    assert Note.objects.get().title == "列1 列2"


def test_the_diff_from_nothing_shows_only_the_new_lines():
    from history.diff import diff

    first = diff("", "一行目\n二行目\n")
    assert [(line.kind, line.new_no) for line in first.lines] == [("ins", 1), ("ins", 2)]
    assert (first.added, first.removed) == (2, 0)
    assert not diff("a\nb\n", "a\nb\n").changed
