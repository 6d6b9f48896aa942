"""Templates: notes tagged "template" are offered as starting points for a new note."""

import pytest
from django.core.management import call_command

from notes.models import Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(capsys):
    call_command("load_starter_notes", "--templates")
    assert "Loaded 3 starter templates." in capsys.readouterr().out


def test_the_three_starter_templates_load_once(templates, capsys):
    titles = sorted(Note.objects.tagged("template").values_list("title", flat=True))
    assert titles == ["手順書テンプレート", "議事録テンプレート", "障害報告テンプレート"]
    note = Note.objects.get(slug="template-incident-report")
    note.body = "チームで書き換えた\n"
    note.save_with_tags(["template", "障害報告"])
    call_command("load_starter_notes", "--templates")
    assert "Loaded 0 starter templates." in capsys.readouterr().out
    assert Note.objects.get(slug="template-incident-report").body == "チームで書き換えた\n"


def test_the_new_note_page_offers_templates(editor_client, templates, make_note):
    make_note(title="リリース手順", slug="release", tags=["Template"])  # the team's own, any case
    page = editor_client.get("/notes/new/").content.decode()
    for slug in ["template-runbook", "template-incident-report", "template-meeting-notes", "release"]:
        assert f"?template={slug}" in page
    assert "テンプレートから作る" in page


def test_a_template_fills_the_form_and_the_note_is_saved_as_usual(editor_client, templates):
    page = editor_client.get("/notes/new/?template=template-incident-report")
    form = page.context["form"]
    template = Note.objects.get(slug="template-incident-report")
    assert form["body"].value() == template.body
    assert form["tags"].value() == "障害報告"
    assert form["title"].value() in (None, "")
    response = editor_client.post(
        "/notes/new/?template=template-incident-report",
        {"title": "12/6 DB 停止", "body": form["body"].value(), "tags": "障害報告, db"},
    )
    note = Note.objects.get(title="12/6 DB 停止")
    assert response["Location"] == note.get_absolute_url()
    assert sorted(note.tags.names()) == ["db", "障害報告"]
    # The template itself is untouched.
    assert Note.objects.get(slug="template-incident-report").body == template.body


def test_only_template_notes_can_be_used(editor_client, templates, make_note):
    make_note(title="秘密", slug="secret", body="not a template")
    form = editor_client.get("/notes/new/?template=secret").context["form"]
    assert not form["body"].value()


def test_starter_notes_on_an_empty_database_include_the_templates():
    call_command("load_starter_notes")
    assert Note.objects.tagged("template").count() == 3


def test_the_admin_names_every_model_in_the_interface_language(admin_client):
    html = admin_client.get("/admin/").content.decode()
    for name in ("ノート", "配信", "API トークン", "共有リンク", "監査ログ", "こうしたい時のコマンド検索"):
        assert name in html, name
    assert "Deliverys" not in html and "Api tokens" not in html
    admin_client.cookies["django_language"] = "en"
    english = admin_client.get("/admin/").content.decode()
    assert "Deliveries" in english and "API tokens" in english and "Share links" in english
