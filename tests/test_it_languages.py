"""The two languages of tldr: tagged, badged, folded into the viewer's, and hideable."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from taggit.models import Tag

from lookup.models import Entry
from notes.models import Note
from search.queries import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(make_note):
    """A page in both languages, one only in English, and a note of the team's."""
    made = {
        "en": make_note(
            title="kbship",
            body="# kbship\n\n> Ship containers.\n\n- Ship a container:\n\n`kbship go {{name}}`\n",
            tags=["tldr"],
            import_key="tldr:en/common/kbship",
        ),
        "ja": make_note(
            title="kbship",
            body="# kbship\n\n> コンテナを出荷する。\n\n- コンテナを出荷する:\n\n`kbship go {{名前}}`\n",
            tags=["tldr"],
            import_key="tldr:ja/common/kbship",
        ),
        "en_only": make_note(
            title="kbcrate",
            body="# kbcrate\n\n> Crate containers.\n\n- Crate a container:\n\n`kbcrate {{name}}`\n",
            tags=["tldr"],
            import_key="tldr:en/common/kbcrate",
        ),
        "team": make_note(title="出荷の手順", body="kbship go web でコンテナを出荷する。container"),
    }
    return made


def test_a_page_found_in_both_languages_is_shown_once_in_the_viewers(pages):
    ids = search("kbship", semantic=False).ids
    assert pages["en"].pk in ids and pages["ja"].pk in ids  # without a viewer: both
    ja_view = search("kbship", semantic=False, language="ja").ids
    assert pages["ja"].pk in ja_view and pages["en"].pk not in ja_view
    en_view = search("kbship", semantic=False, language="en").ids
    assert pages["en"].pk in en_view and pages["ja"].pk not in en_view
    # The fold keeps the better place of the two.
    assert ja_view.index(pages["ja"].pk) == min(ids.index(pages["en"].pk), ids.index(pages["ja"].pk))


def test_an_english_answer_without_a_japanese_twin_stays(pages):
    ids = search("container", semantic=False, language="ja").ids
    assert pages["en_only"].pk in ids


def test_the_search_page_badges_each_reference_page_with_its_language(client, pages):
    page = client.get("/search/", {"q": "kbcrate"}).content.decode()
    assert "tldr · EN" in page
    detail = client.get(pages["ja"].get_absolute_url()).content.decode()
    assert "tldr · JA" in detail and "<title>kbship (tldr ja)" in detail


def test_the_search_page_folds_into_the_viewers_language(client, pages):
    ja = client.get("/search/", {"q": "kbship"}).content.decode()
    client.cookies["django_language"] = "en"  # what the language switch sets
    en = client.get("/search/", {"q": "kbship"}).content.decode()
    assert pages["ja"].get_absolute_url() in ja and pages["en"].get_absolute_url() not in ja
    assert pages["en"].get_absolute_url() in en and pages["ja"].get_absolute_url() not in en


def test_hiding_a_language_hides_it_everywhere(client, settings, pages):
    settings.KB_HIDE_REFERENCE = ["en"]
    ids = search("container", semantic=False).ids
    assert pages["en_only"].pk not in ids and pages["en"].pk not in ids and pages["team"].pk in ids
    assert pages["ja"].pk in search("kbship", semantic=False).ids
    tag_page = client.get("/tags/tldr/").content.decode()
    assert pages["ja"].get_absolute_url() in tag_page and pages["en_only"].get_absolute_url() not in tag_page
    all_notes = client.get("/notes/").content.decode()
    assert pages["en"].get_absolute_url() not in all_notes and pages["team"].get_absolute_url() in all_notes


def test_hiding_all_reference_pages(client, settings, pages):
    settings.KB_HIDE_REFERENCE = ["all"]
    assert search("kbship", semantic=False).ids == [pages["team"].pk]
    body = client.get("/notes/").content.decode()
    assert "tldr ·" not in body and pages["team"].get_absolute_url() in body


def test_lookup_hides_entries_of_hidden_pages(settings, pages):
    Entry.objects.create(tasks=["出荷する"], command="kbship go web", note=pages["team"], origin="extracted")
    Entry.objects.create(
        tasks=["Ship it"], command="kbship go now", note=pages["en"], origin="tldr", language="en"
    )
    assert {e.command for e in Entry.objects.lookup("kbship", 10)} >= {"kbship go web", "kbship go now"}
    settings.KB_HIDE_REFERENCE = ["all"]
    assert [e.command for e in Entry.objects.lookup("kbship", 10)] == ["kbship go web"]


def test_lookup_shows_a_command_from_the_viewers_language(pages):
    from django.utils import translation

    from lookup.ranking import lookup

    Entry.objects.all().delete()  # the entries found in the notes' text; tldr's own below
    en = Entry.objects.create(
        tasks=["Ship a container"],
        command="kbship go {{name}}",
        note=pages["en"],
        origin="tldr",
        language="en",
    )
    ja = Entry.objects.create(
        tasks=["コンテナを出荷する"],
        command="kbship go {{name}}",
        note=pages["ja"],
        origin="tldr",
        language="ja",
    )
    assert [e.pk for e in lookup(Entry.objects.all(), "kbship go", 5, semantic=False, language="ja")] == [
        ja.pk
    ]
    assert [e.pk for e in lookup(Entry.objects.all(), "kbship go", 5, semantic=False, language="en")] == [
        en.pk
    ]
    with translation.override("ja"):
        assert [e.pk for e in Entry.objects.lookup("kbship go", 5)] == [ja.pk]


def test_the_data_migration_tags_existing_pages_with_their_language(pages):
    Tag.objects.filter(name__startswith="lang:").delete()
    migration = importlib.import_module("lookup.migrations.0003_tldr_language_tags")
    migration.tag_languages(apps, None)
    migration.tag_languages(apps, None)  # again: nothing doubles
    assert set(pages["ja"].tags.names()) == {"tldr", "lang:ja"}
    assert set(pages["en_only"].tags.names()) == {"tldr", "lang:en"}
    assert set(pages["team"].tags.names()) == set()
    assert Note.objects.filter(tags__slug="lang-en").count() == 2


def test_at_equal_relevance_the_viewers_language_comes_first(make_note):
    ja = make_note(title="kbaa", body="zzquux", import_key="tldr:ja/common/kbaa")
    en = make_note(title="kbbb", body="zzquux", import_key="tldr:en/common/kbbb")
    assert search("zzquux", semantic=False).ids == [en.pk, ja.pk]  # newest first, no viewer
    assert search("zzquux", semantic=False, language="ja").ids == [ja.pk, en.pk]
    assert search("zzquux", semantic=False, language="en").ids == [en.pk, ja.pk]


def test_a_client_without_the_cookie_asks_for_english_with_lang(client, pages):
    Entry.objects.all().delete()
    Entry.objects.create(
        tasks=["Ship a container"],
        command="kbship go {{name}}",
        note=pages["en"],
        origin="tldr",
        language="en",
    )
    Entry.objects.create(
        tasks=["コンテナを出荷する"],
        command="kbship go {{名前}}",
        note=pages["ja"],
        origin="tldr",
        language="ja",
    )
    # curl and the shell widget send no cookie: Japanese first, English when asked.
    assert client.get("/api/lookup", {"q": "kbship go"}).json()["results"][0]["task"] == "コンテナを出荷する"
    english = client.get("/api/lookup", {"q": "kbship go", "lang": "en"}).json()["results"]
    assert english[0]["task"] == "Ship a container"
    text = client.get("/q/kbship+go", {"lang": "en"}).content.decode()
    assert text.startswith("# Ship a container")
    missing = client.get("/q/zzqqxx", {"lang": "en"})
    assert missing.status_code == 404 and missing.content.decode().startswith("# Nothing found")


def test_a_query_with_a_line_break_is_answered_in_plain_text(client, pages):
    response = client.get("/q/zz%0Aqq")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith("# 見つかりません")
