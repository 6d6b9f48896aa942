"""[[Wiki links]] between notes, the link table behind them, and backlinks."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from links.models import Link
from notes.models import Note
from tests.test_it_markdown import assert_harmless

pytestmark = pytest.mark.django_db


def body_of(page: str) -> str:
    return page.split('<div class="note-body">', 1)[1].split("</div>\n", 1)[0]


def test_links_find_notes_by_title_slug_and_keep_their_text(client, make_note):
    target = make_note(title="Docker basics", slug="docker-basics", body="x")
    make_note(
        title="Index", slug="index", body="[[Docker basics]], [[docker-basics|the basics]], [[docker BASICS]]"
    )
    page = client.get("/notes/index/").content.decode()
    assert page.count(f'<a class="wikilink" href="{target.get_absolute_url()}">') == 3
    assert ">the basics</a>" in page
    assert set(Link.objects.values_list("key", flat=True)) == {"docker basics", "docker-basics"}


def test_a_missing_note_is_a_create_link_for_editors_and_text_for_readers(client, editor_client, make_note):
    make_note(title="Index", slug="index", body="See [[Compose tips|tips]].")
    page = editor_client.get("/notes/index/").content.decode()
    assert (
        '<a class="wikilink missing" href="/notes/new/?title=Compose%20tips" rel="nofollow">tips</a>' in page
    )
    form = editor_client.get("/notes/new/?title=Compose%20tips").content.decode()
    assert re.search(r'name="title"[^>]*value="Compose tips"', form)
    client.logout()
    reader_page = client.get("/notes/index/").content.decode()
    assert '<span class="wikilink missing">tips</span>' in reader_page and "/notes/new/" not in body_of(
        reader_page
    )


def test_creating_the_missing_note_completes_the_link_and_its_backlink(editor_client, make_note):
    source = make_note(title="Index", slug="index", body="[[Compose tips]]")
    editor_client.post("/notes/new/", {"title": "Compose tips", "body": "b", "tags": ""})
    target = Note.objects.get(title="Compose tips")
    assert Link.objects.get(source=source).target == target
    assert f'href="{target.get_absolute_url()}"' in editor_client.get("/notes/index/").content.decode()
    page = editor_client.get(target.get_absolute_url()).content.decode()
    backlinks = page.split('id="backlinks"', 1)[1]
    assert 'href="/notes/index/">Index</a>' in backlinks


def test_renaming_keeps_old_title_links_working(client, editor_client, make_note):
    target = make_note(title="Old title", slug="old-title", body="x")
    make_note(title="Before", slug="before", body="[[Old title]]")
    editor_client.post(
        f"/notes/{target.slug}/edit/", {"title": "New title", "body": "x", "tags": "", "base_revision": 1}
    )
    target.refresh_from_db()
    assert target.title == "New title"
    assert f'href="{target.get_absolute_url()}"' in client.get("/notes/before/").content.decode()
    # A link written after the rename still finds it, through the note's history.
    make_note(title="After", slug="after", body="[[old title]]")
    assert f'href="{target.get_absolute_url()}"' in client.get("/notes/after/").content.decode()
    response = client.get("/wiki/Old%20title/")
    assert response.status_code == 302 and response["Location"] == target.get_absolute_url()
    backlinks = client.get(target.get_absolute_url()).content.decode().split('id="backlinks"', 1)[1]
    assert "Before" in backlinks and "After" in backlinks


def test_deleting_a_note_turns_links_to_it_into_create_links(editor_client, make_note):
    target = make_note(title="Short lived", slug="short-lived", body="x")
    source = make_note(title="Index", slug="index", body="[[Short lived]]")
    editor_client.post(f"/notes/{target.slug}/delete/")
    assert Link.objects.get(source=source).target is None
    assert 'class="wikilink missing"' in editor_client.get("/notes/index/").content.decode()
    # Back from the trash, it is linked again.
    editor_client.post("/notes/new/", {"title": "Short lived", "body": "again", "tags": ""})
    assert Link.objects.get(source=source).target.title == "Short lived"


def test_editing_a_note_rewrites_its_links_and_deleting_it_drops_them(make_note):
    make_note(title="A", slug="a", body="x")
    source = make_note(title="S", slug="s", body="[[A]] [[B]]")
    assert Link.objects.filter(source=source).count() == 2
    source.body = "[[A]]"
    source.save_with_tags()
    assert list(Link.objects.filter(source=source).values_list("name", flat=True)) == ["A"]
    source.delete()
    assert Link.objects.count() == 0


def test_the_resolver_redirects_or_offers_to_create(client, editor_client, make_note):
    note = make_note(title="Target", slug="target", body="x")
    assert client.get("/wiki/target/")["Location"] == note.get_absolute_url()
    response = editor_client.get("/wiki/Nothing%20here/")
    assert response.status_code == 302 and response["Location"] == "/notes/new/?title=Nothing%20here"
    client.logout()
    assert client.get("/wiki/Nothing%20here/").status_code == 404


def test_a_slug_links_in_any_case_or_width(client, make_note):
    target = make_note(title="コンテナのライフサイクル", slug="container-lifecycle", body="x")
    source = make_note(
        title="Index", slug="index", body="[[CONTAINER-LIFECYCLE]] [[ｃｏｎｔａｉｎｅｒ-lifecycle|全角]]"
    )
    page = client.get(f"/notes/{source.slug}/").content.decode()
    assert page.count(f'href="/notes/{target.slug}/"') == 2
    assert client.get("/wiki/CONTAINER-LIFECYCLE/")["Location"] == f"/notes/{target.slug}/"


def test_a_title_links_in_any_width_and_spacing(client, make_note):
    # As an IME types them: half-width katakana, a full-width colon, an ideographic space.
    multi = make_note(title="マルチステージビルド", slug="multi-stage", body="x")
    ports = make_note(title="ポートの公開: -p と EXPOSE", slug="ports", body="x")
    basics = make_note(title="docker compose の基本", slug="compose-basics", body="x")
    source = make_note(
        title="Index",
        slug="index",
        body="[[ﾏﾙﾁｽﾃｰｼﾞﾋﾞﾙﾄﾞ]] [[ポートの公開：-p と EXPOSE]] [[docker　compose の基本]] [[docker compose の基本]]",
    )
    page = body_of(client.get(f"/notes/{source.slug}/").content.decode())
    for note, times in ((multi, 1), (ports, 1), (basics, 2)):
        assert page.count(f'href="{note.get_absolute_url()}"') == times, note.title
    assert "wikilink-missing" not in page and "/notes/new/" not in page
    assert client.get("/wiki/ﾏﾙﾁｽﾃｰｼﾞﾋﾞﾙﾄﾞ/")["Location"] == multi.get_absolute_url()
    assert set(Link.objects.filter(source=source).values_list("target", flat=True)) == {
        multi.pk,
        ports.pk,
        basics.pk,
    }


def test_titles_that_differ_only_in_case_link_to_the_one_spelt_so(client, make_note):
    lower = make_note(title="Deploy", slug="deploy-a", body="x")
    upper = make_note(title="DEPLOY", slug="deploy-b", body="x")
    assert client.get("/wiki/DEPLOY/")["Location"] == upper.get_absolute_url()
    assert client.get("/wiki/Deploy/")["Location"] == lower.get_absolute_url()
    assert client.get("/wiki/deploy/")["Location"] == lower.get_absolute_url()  # no exact one: the oldest


def test_links_to_notes_made_by_a_bulk_import_heal_on_view(client, make_note):
    source = make_note(title="Index", slug="index", body="[[tar]]")
    Note.objects.bulk_create([Note(title="tar", slug="tar", body="x", body_html="<p>x</p>")])
    assert 'href="/notes/tar/"' in client.get("/notes/index/").content.decode()
    assert Link.objects.get(source=source).target.slug == "tar"


def test_refresh_links_rebuilds_the_table(make_note):
    make_note(title="A", slug="a", body="x")
    make_note(title="S", slug="s", body="[[A]]")
    Link.objects.all().delete()
    call_command("refresh_links")
    assert Link.objects.get().target.slug == "a"


def test_export_writes_links_as_typed(make_note, tmp_path):
    make_note(title="Index", slug="index", body="[[Docker basics|the tips]] and [[x#Part]]\n")
    call_command("export_notes", str(tmp_path))
    assert (tmp_path / "index.md").read_text().endswith("[[Docker basics|the tips]] and [[x#Part]]\n")


@pytest.mark.parametrize(
    "body",
    [
        "[[<script>alert(1)</script>]]",
        "[[x|<img src=x onerror=alert(1)>]]",
        '[[javascript:alert(1)]] [["><svg onload=alert(1)>]]',
        "[[x|[click](javascript:alert(1))]]",
        '```mermaid\ngraph TD\n  A["<img src=x onerror=alert(1)>"]-->B\n</code></pre><script>alert(1)</script>\n```\n',
    ],
)
def test_wiki_links_and_diagrams_carry_no_script(editor_client, make_note, body):
    make_note(title="T", slug="t", body=body)
    for c in (editor_client, Client()):
        page_body = body_of(c.get("/notes/t/").content.decode())
        assert_harmless(page_body)
        assert "<script" not in page_body.lower() and "<img" not in page_body.lower()


def test_the_resolver_answers_404_to_impossible_names(editor_client):
    assert editor_client.get("/wiki/a%00b/").status_code == 400  # NUL: refused for every URL
    assert editor_client.get("/wiki/" + "x" * 300 + "/").status_code == 404


def test_names_with_markup_characters_and_slashes_link(client, make_note):
    odd = make_note(title='C++ & <tips> "quoted"', slug="cpp-tips", body="x")
    slashed = make_note(title="CI/CD の流れ", slug="ci-cd", body="x")
    make_note(title="Index", slug="index", body='[[C++ & <tips> "quoted"]] and [[CI/CD の流れ|flow]]')
    page = body_of(client.get("/notes/index/").content.decode())
    assert f'href="{odd.get_absolute_url()}"' in page and "C++ &amp; &lt;tips&gt;" in page
    assert f'href="{slashed.get_absolute_url()}">flow</a>' in page
    assert (
        client.get("/wiki/CI%2FCD%20%E3%81%AE%E6%B5%81%E3%82%8C/")["Location"] == slashed.get_absolute_url()
    )
