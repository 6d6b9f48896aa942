"""Who is editing: heartbeats from open editors, shown to the other editors of the same note."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from presence.models import Editing

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanako(django_user_model, editor):
    user = django_user_model.objects.create_user("hanako", password="pw", first_name="花子")
    user.groups.add(*editor.groups.all())
    return user


@pytest.fixture
def hanako_client(hanako):
    client = Client()
    client.force_login(hanako)
    return client


def test_it_tells_each_editor_about_the_other(editor_client, hanako_client, make_note):
    make_note(title="手順", slug="steps")
    first = editor_client.post("/notes/steps/editing/")
    assert first.status_code == 200 and first.content.decode().strip() == ""
    seen_by_hanako = hanako_client.post("/notes/steps/editing/").content.decode()
    assert "editorさんが編集中" in seen_by_hanako
    # Her full name when she has one; the editor's page shows it from the start too.
    assert "花子さんが編集中" in editor_client.post("/notes/steps/editing/").content.decode()
    assert "花子さんが編集中" in editor_client.get("/notes/steps/edit/").content.decode()


def test_it_forgets_an_editor_after_a_minute_without_heartbeat(editor_client, hanako_client, make_note):
    make_note(title="手順", slug="steps")
    hanako_client.post("/notes/steps/editing/")
    Editing.objects.update(seen_at=timezone.now() - timedelta(seconds=61))
    assert "編集中" not in editor_client.post("/notes/steps/editing/").content.decode()
    assert "編集中" not in editor_client.get("/notes/steps/edit/").content.decode()


def test_it_forgets_an_editor_who_leaves_at_once(editor_client, hanako_client, make_note):
    make_note(title="手順", slug="steps")
    hanako_client.post("/notes/steps/editing/")
    assert hanako_client.post("/notes/steps/editing/", {"leave": "1"}).status_code == 204
    assert "編集中" not in editor_client.post("/notes/steps/editing/").content.decode()


def test_it_keeps_notes_apart(editor_client, hanako_client, make_note):
    make_note(title="手順", slug="steps")
    make_note(title="別", slug="other")
    hanako_client.post("/notes/other/editing/")
    assert "編集中" not in editor_client.post("/notes/steps/editing/").content.decode()
    assert Editing.objects.count() == 2


def test_it_needs_an_editor_and_a_post(client, reader_client, make_note):
    make_note(title="手順", slug="steps")
    assert reader_client.post("/notes/steps/editing/").status_code == 403
    assert reader_client.get("/notes/steps/editing/").status_code == 403
    assert Client().post("/notes/steps/editing/").status_code == 302
    assert not Editing.objects.exists()
