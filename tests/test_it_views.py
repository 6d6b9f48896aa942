import io
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from PIL import Image

from notes.models import Note

pytestmark = pytest.mark.django_db


def test_it_shows_home_with_recent_notes_and_tags(client, make_note):
    make_note(title="イメージの一覧", tags=["docker"])
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "イメージの一覧" in html
    assert 'href="/tags/docker/"' in html
    assert 'name="q"' in html


def test_it_shows_a_note(client, make_note):
    note = make_note(
        title="ポート", body="## 公開\n\n```sh\ndocker run -p 8080:80 nginx\n```", tags=["network"]
    )
    response = client.get(note.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>ポート</h1>" in html
    assert 'id="公開"' in html and 'class="toc"' in html
    assert "docker run -p 8080:80 nginx" in re.sub(r"<[^>]+>", "", html)
    assert "/tags/network/" in html


def test_it_serves_unicode_slug_urls(client, make_note):
    note = make_note(title="コンテナの破棄")
    assert (
        client.get("/notes/%E3%82%B3%E3%83%B3%E3%83%86%E3%83%8A%E3%81%AE%E7%A0%B4%E6%A3%84/").status_code
        == 200
    )
    assert note.slug == "コンテナの破棄"


def test_it_answers_404_for_missing_notes_and_tags(client):
    assert client.get("/notes/nothing-here/").status_code == 404
    assert client.get("/tags/nothing/").status_code == 404


def test_it_lists_tags_with_counts(client, make_note):
    make_note(title="a", tags=["docker"])
    make_note(title="b", tags=["docker", "compose"])
    html = client.get("/tags/").content.decode()
    assert "docker" in html and "compose" in html
    tag_page = client.get("/tags/docker/").content.decode()
    assert ">a<" in tag_page and ">b<" in tag_page


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/notes/new/"),
        ("post", "/notes/new/"),
        ("get", "/notes/n/edit/"),
        ("post", "/notes/n/edit/"),
        ("get", "/notes/n/delete/"),
        ("post", "/notes/n/delete/"),
        ("post", "/markdownx/markdownify/"),
        ("post", "/markdownx/upload/"),
    ],
)
def test_it_keeps_anonymous_users_from_writing(client, make_note, method, url):
    make_note(title="n", slug="n", body="original")
    response = getattr(client, method)(url, {"title": "hacked", "body": "x", "content": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    note = Note.objects.get(slug="n")
    assert (note.title, note.body) == ("n", "original")


def test_it_hides_edit_links_from_anonymous_users(client, make_note):
    note = make_note(title="n")
    html = client.get(note.get_absolute_url()).content.decode()
    assert "/edit/" not in html and "/notes/new/" not in html


def test_it_creates_a_note(editor_client, editor):
    response = editor_client.post(
        "/notes/new/", {"title": "ログを見る", "body": "`docker logs -f web`\r\n", "tags": "docker, logs"}
    )
    note = Note.objects.get(title="ログを見る")
    assert response.status_code == 302 and response["Location"] == note.get_absolute_url()
    assert note.author == editor
    assert note.body == "`docker logs -f web`\n"
    assert sorted(note.tags.names()) == ["docker", "logs"]


def test_it_edits_a_note(editor_client, make_note):
    note = make_note(title="old", body="old body", tags=["a"])
    edit = {"title": "new", "body": "new body", "tags": "b"}
    # Without the revision it started from, a save could overwrite anyone's: it is shown
    # the conflict page, its text kept, and saving from there goes through.
    for base in [None, "abc", "-1"]:
        data = edit if base is None else {**edit, "base_revision": base}
        response = editor_client.post(f"/notes/{note.slug}/edit/", data)
        page = response.content.decode()
        assert response.status_code == 409 and "new body" in page, base
        assert "どの版をもとに編集したかを示していません" in page
    note.refresh_from_db()
    assert note.body == "old body"
    response = editor_client.post(f"/notes/{note.slug}/edit/", {**edit, "base_revision": 1})
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.title, note.body, list(note.tags.names())) == ("new", "new body", ["b"])
    assert "new body" in note.body_html


def test_it_deletes_a_note_after_confirmation(editor_client, make_note):
    note = make_note(title="消す")
    assert editor_client.get(f"/notes/{note.slug}/delete/").status_code == 200
    assert Note.objects.filter(pk=note.pk).exists()
    editor_client.post(f"/notes/{note.slug}/delete/")
    assert not Note.objects.filter(pk=note.pk).exists()


def test_it_explains_invalid_input_and_keeps_the_text(editor_client):
    response = editor_client.post("/notes/new/", {"title": "  ", "body": "my long draft"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "my long draft" in html
    assert Note.objects.count() == 0


def test_it_rejects_nul_bytes_with_a_message(editor_client):
    response = editor_client.post("/notes/new/", {"title": "nul", "body": "a\x00b"})
    assert response.status_code == 200
    assert Note.objects.count() == 0
    assert "error" in response.content.decode()


def test_it_rejects_huge_bodies(editor_client, settings):
    settings.KB_MAX_BODY_CHARS = 1000
    response = editor_client.post("/notes/new/", {"title": "big", "body": "あ" * 1001})
    assert response.status_code == 200
    assert Note.objects.count() == 0
    assert "1001" in response.content.decode()


def test_it_previews_markdown_sanitised(editor_client):
    response = editor_client.post("/markdownx/markdownify/", {"content": "**b** <script>x</script>"})
    assert response.status_code == 200
    assert b"<strong>b</strong>" in response.content and b"<script" not in response.content


def _png(size=(4, 4)) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", size, "red").save(data, "PNG")
    data.seek(0)
    data.name = "dot.png"
    return data


def test_it_uploads_images_into_media_root(editor_client, settings):
    response = editor_client.post(
        "/markdownx/upload/", {"image": _png()}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("\n![dot](/media/uploads/") and code.endswith(")\n")
    url = code.strip()[len("![dot](") : -1]
    assert (settings.MEDIA_ROOT / url.removeprefix("/media/")).is_file()
    assert editor_client.get(url).status_code == 200


def test_it_refuses_non_images_and_large_uploads(editor_client, settings, monkeypatch):
    fake = io.BytesIO(b"<script>alert(1)</script>")
    fake.name = "evil.gif"
    response = editor_client.post(
        "/markdownx/upload/", {"image": fake}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 400
    # One reason, the true one: not "no file was uploaded" after "not an image".
    assert list(response.json()) == ["image"] and len(response.json()["image"]) == 1
    assert "画像" in response.json()["image"][0]
    # markdownx reads its limit once at import time.
    monkeypatch.setattr("markdownx.forms.MARKDOWNX_UPLOAD_MAX_SIZE", 10)
    response = editor_client.post(
        "/markdownx/upload/", {"image": _png()}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 400
    assert not (settings.MEDIA_ROOT / "uploads").exists() or not any(
        (settings.MEDIA_ROOT / "uploads").iterdir()
    )


def test_it_speaks_japanese_first_and_english_on_request(client):
    # Browser language alone does not switch; the language switch does.
    assert "最近のノート" in client.get("/", headers={"accept-language": "en-US,en"}).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Recent notes" in html
    client.post("/i18n/setlang/", {"language": "ja", "next": "/"})
    assert "最近のノート" in client.get("/").content.decode()


def test_it_shows_the_editor_with_live_preview(editor_client):
    html = editor_client.get("/notes/new/").content.decode()
    assert "markdownx" in html and 'name="body"' in html and 'name="tags"' in html


def test_admins_edit_notes_in_the_admin_and_listeners_hear_it(client, django_user_model, make_note):
    from notes.signals import note_saved

    admin = django_user_model.objects.create_superuser("boss", password="pw")
    client.force_login(admin)
    note = make_note(title="admin", body="old")
    heard = []

    def listen(sender, note, **kwargs):
        heard.append(sorted(note.tags.names()))

    note_saved.connect(listen)
    try:
        response = client.post(
            f"/admin/notes/note/{note.pk}/change/",
            {"title": "admin", "slug": note.slug, "body": "new **body**", "tags": "x, y"},
        )
    finally:
        note_saved.disconnect(listen)
    assert response.status_code == 302
    note.refresh_from_db()
    assert "<strong>body</strong>" in note.body_html
    assert heard == [["x", "y"]]


def test_it_answers_bad_uploads_with_json_even_without_ajax(editor_client):
    fake = io.BytesIO(b"<svg onload=alert(1)></svg>")
    fake.name = "evil.svg"
    response = editor_client.post("/markdownx/upload/", {"image": fake})
    assert response.status_code == 400
    assert "image" in response.json()


def test_it_explains_nul_bytes_in_japanese(editor_client):
    response = editor_client.post("/notes/new/", {"title": "nul", "body": "a\x00b"})
    assert "NUL 文字" in response.content.decode()


def test_it_saves_a_japanese_body_near_the_limit(editor_client, settings):
    # Form-encoded, each of these characters is 9 bytes on the wire.
    body = "あ" * (settings.KB_MAX_BODY_CHARS - 10)
    data = urlencode({"title": "長い", "body": body})
    response = editor_client.post("/notes/new/", data, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert len(Note.objects.get(title="長い").body) == len(body)


def test_home_lists_the_teams_notes_not_imported_reference_pages(client, make_note):
    make_note(title="チームのメモ")
    make_note(title="tar", import_key="tldr:en/common/tar")
    html = client.get("/").content.decode()
    assert "チームのメモ" in html and ">tar<" not in html


def test_a_note_titled_new_gets_an_address_of_its_own(editor_client, client):
    # /notes/new/ is the form for a new note: a note there could never be opened.
    response = editor_client.post("/notes/new/", {"title": "New", "body": "手順\n", "tags": ""})
    note = Note.objects.get(title="New")
    assert note.slug == "new-2" and response["Location"] == "/notes/new-2/"
    assert "手順" in editor_client.get("/notes/new-2/").content.decode()


def test_an_imported_slug_may_not_name_a_page_of_its_own(tmp_path):
    from notes.importing import import_paths

    (tmp_path / "a.md").write_text("---\ntitle: A\nslug: new\n---\nbody\n", encoding="utf-8")
    report = import_paths([tmp_path / "a.md"])
    assert Note.objects.count() == 0
    assert "slug 'new' is taken" in report.errors[0][1]


def test_tags_typed_in_full_width_are_the_same_tag(editor_client):
    from taggit.models import Tag

    editor_client.post("/notes/new/", {"title": "一", "body": "x\n", "tags": "Docker, docker, ＤＯＣＫＥＲ"})
    editor_client.post("/notes/new/", {"title": "二", "body": "y\n", "tags": "ｄｏｃｋｅｒ, ログ"})
    assert Note.objects.get(title="一").tags.count() == 1
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["docker", "ログ"]
    from notes.frontmatter import tags_from

    assert tags_from(["ＤＯＣＫＥＲ", "docker", " ログ "]) == ["DOCKER", "ログ"]


def test_tags_separated_by_an_imes_commas_are_several(editor_client):
    editor_client.post("/notes/new/", {"title": "一", "body": "x\n", "tags": "docker，compose、kb deploy"})
    assert sorted(Note.objects.get(title="一").tags.names()) == ["compose", "docker", "kb deploy"]
    page = editor_client.get("/notes/new/").content.decode()
    assert "読点 (、)" in page or "、 works too" in page
    from notes.frontmatter import tags_from

    assert tags_from("docker、compose，kb") == ["docker", "compose", "kb"]


def test_a_hashtag_is_the_tag_without_its_hash(editor_client):
    from taggit.models import Tag

    editor_client.post("/notes/new/", {"title": "一", "body": "x\n", "tags": "docker"})
    editor_client.post("/notes/new/", {"title": "二", "body": "y\n", "tags": "#docker, ＃compose, C#, #"})
    assert sorted(Note.objects.get(title="二").tags.names()) == ["C#", "compose", "docker"]
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["c", "compose", "docker"]
    # Hashtags separated by spaces, as typed with an IME's full-width space, are several tags.
    editor_client.post("/notes/new/", {"title": "三", "body": "z\n", "tags": "＃ｄｏｃｋｅｒ　＃ＱＡ"})
    assert sorted(Note.objects.get(title="三").tags.names()) == ["QA", "docker"]
    from notes.frontmatter import tags_from

    assert tags_from("#docker #compose, kb deploy") == ["docker", "compose", "kb deploy"]


def test_tags_stored_apart_by_earlier_kb_are_merged(make_note, client):
    """Earlier kb kept ＤＯＣＫＥＲ apart from docker; the migrations make them one tag, and the
    note's lookup entries are found on the cheatsheet of the one tag."""
    import importlib

    from django.apps import apps
    from django.db import connection
    from taggit.models import Tag, TaggedItem

    from lookup.models import Entry

    note = make_note(title="古い", body="`docker ps` で一覧\n", tags=["docker"])
    other = make_note(title="別", body="y\n", tags=[])
    wide = Tag.objects.create(name="ＤＯＣＫＥＲ", slug="docker-2")
    TaggedItem.objects.create(tag=wide, content_object=note)
    TaggedItem.objects.create(tag=wide, content_object=other)
    Entry.objects.filter(note=note).update(tags=["ｄｏｃｋｅｒ", "docker", " Ｗｅｂ "])
    assert note.lookup_entries.exists()

    importlib.import_module("notes.migrations.0004_merge_width_duplicate_tags").merge(apps, None)
    with connection.cursor() as cursor:
        cursor.execute(importlib.import_module("lookup.migrations.0007_nfkc_entry_tags").SQL)

    assert list(Tag.objects.values_list("name", flat=True)) == ["docker"]
    assert list(note.tags.names()) == ["docker"]
    assert list(other.tags.names()) == ["docker"]
    assert {tuple(tags) for tags in Entry.objects.filter(note=note).values_list("tags", flat=True)} == {
        ("docker", "web")
    }
    assert "docker ps" in client.get("/cheatsheet/docker/").content.decode()


def test_every_tag_filter_takes_a_tag_as_people_type_it(editor_client, client, make_note, kb_admin):
    make_note(title="イメージ", body="`docker images`\n", tags=["docker", "lang:ja"])
    assert client.get("/tags/DOCKER/")["Location"] == "/tags/docker/"
    assert client.get("/tags/ＤＯＣＫＥＲ/")["Location"] == "/tags/docker/"
    assert client.get("/tags/lang:ja/")["Location"] == "/tags/langja/"
    assert client.get("/tags/nothing/").status_code == 404
    assert client.get("/api/search", {"q": "イメージ", "tag": "ＤＯＣＫＥＲ"}).json()["count"] == 1
    editor_client.post(
        "/lookup/new/", {"tasks": "ディスクを見る", "command": "df -h", "tags": "ops、ＤＩＳＫ"}
    )
    from lookup.models import Entry

    assert Entry.objects.get(command="df -h").tags == ["ops", "disk"]
    assert client.get("/cheatsheet/ＤＩＳＫ/")["Location"] == "/cheatsheet/disk/"
    assert "df -h" in client.get("/cheatsheet/ＤＩＳＫ/", follow=True).content.decode()
    editor_client.force_login(kb_admin)
    response = editor_client.get("/export/", {"download": "1", "tag": "ＤＯＣＫＥＲ"})
    assert response["Content-Type"] == "application/zip"
