import pytest
from django.db import IntegrityError

from notes.models import Note
from notes.signals import note_saved
from notes.slugs import slug_for


def test_it_keeps_japanese_in_slugs():
    assert slug_for("コンテナの破棄") == "コンテナの破棄"
    assert slug_for("docker-compose.yml => 環境変数") == "docker-compose-yml-環境変数"
    assert slug_for("Ｄｏｃｋｅｒ 入門") == "docker-入門"


def test_it_falls_back_to_an_id_for_titles_without_letters():
    slug = slug_for("!!! ??? ...")
    assert slug.startswith("note-") and len(slug) == 13


def test_it_makes_slugs_unique(make_note):
    first = make_note(title="ボリューム")
    second = make_note(title="ボリューム")
    third = make_note(title="ボリューム")
    assert (first.slug, second.slug, third.slug) == ("ボリューム", "ボリューム-2", "ボリューム-3")


def test_it_keeps_the_slug_when_the_title_changes(make_note):
    note = make_note(title="古いタイトル")
    note.title = "新しいタイトル"
    note.save()
    assert note.slug == "古いタイトル"


def test_it_renders_and_caches_html_on_save(make_note):
    note = make_note(body="## 見出し\n\n`docker ps`")
    stored = Note.objects.get(pk=note.pk)
    assert '<h2 id="見出し">' in stored.body_html
    assert "<code>docker ps</code>" in stored.body_html
    assert 'href="#見出し"' in stored.toc_html
    assert stored.render_version > 0


def test_it_refuses_duplicate_slugs_in_the_database(make_note):
    make_note(title="a", slug="same")
    with pytest.raises(IntegrityError):
        Note.objects.create(title="b", slug="same")


def test_it_refuses_an_empty_title(db):
    with pytest.raises(IntegrityError):
        Note.objects.create(title="", slug="x")


def test_it_sends_note_saved_after_tags_are_written(make_note):
    seen = []

    def receiver(sender, note, **kwargs):
        seen.append(sorted(note.tags.names()))

    note_saved.connect(receiver)
    try:
        make_note(title="tagged", tags=["docker", "compose"])
    finally:
        note_saved.disconnect(receiver)
    assert seen == [["compose", "docker"]]


def test_it_lists_recent_notes_first(make_note):
    old = make_note(title="old")
    new = make_note(title="new")
    assert list(Note.objects.recent()) == [new, old]
    old.save()
    assert list(Note.objects.recent())[0] == old


def test_it_filters_by_tag(make_note):
    make_note(title="a", tags=["docker"])
    make_note(title="b", tags=["k8s"])
    assert [n.title for n in Note.objects.tagged("docker")] == ["a"]


def test_it_refreshes_html_cached_by_an_older_renderer(make_note, client):
    note = make_note(title="古い", body="**new**")
    Note.objects.filter(pk=note.pk).update(body_html="<p>stale</p>", render_version=0)
    before = Note.objects.get(pk=note.pk).updated_at
    html = client.get(note.get_absolute_url()).content.decode()
    assert "<strong>new</strong>" in html and "stale" not in html
    stored = Note.objects.get(pk=note.pk)
    assert stored.render_version > 0 and stored.updated_at == before
