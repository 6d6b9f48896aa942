"""Length limits where input enters: note tags, lookup entries, usernames."""

import pytest
from axes.models import AccessAttempt
from django.db import IntegrityError

from lookup.indexing import replace_note_entries
from lookup.models import MAX_COMMAND_CHARS, Entry
from notes.models import Note

pytestmark = pytest.mark.django_db


def test_a_tag_over_100_characters_is_a_form_error_and_the_text_stays(editor_client):
    long_tag = "タ" * 101
    response = editor_client.post(
        "/notes/new/", {"title": "題名", "body": "消えてはいけない本文", "tags": f"docker, {long_tag}"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "too long" in page or "長すぎ" in page
    assert "消えてはいけない本文" in page and long_tag in page
    assert not Note.objects.exists()


def test_a_tag_at_the_limit_saves(editor_client):
    tag = "t" * 100
    response = editor_client.post("/notes/new/", {"title": "題名", "body": "x", "tags": tag})
    assert response.status_code == 302
    assert Note.objects.get().tags.names()[0] == tag


def test_editing_with_an_overlong_tag_keeps_the_note(editor_client, make_note):
    make_note(title="n", slug="n", body="original")
    response = editor_client.post("/notes/n/edit/", {"title": "n", "body": "changed", "tags": "x" * 200})
    assert response.status_code == 200 and "changed" in response.content.decode()
    assert Note.objects.get(slug="n").body == "original"


# The admin's login page sends everyone to the site's one login page (accounts.views).
@pytest.mark.parametrize("form,status", [("/accounts/login/", 200), ("/admin/login/", 302)])
def test_a_100k_character_username_is_refused_before_axes_sees_it(client, form, status):
    response = client.post(form, {"username": "u" * 100_000, "password": "x"})
    assert response.status_code == status
    assert not AccessAttempt.objects.exists()


def test_axes_stores_at_most_150_characters_of_a_username(client, user):
    from accounts.forms import axes_username

    assert len(axes_username(None, {"username": "u" * 100_000})) == 150
    assert axes_username(None, {"username": "a\x00b"}) == "ab"
    # A failed login with a normal name is still counted.
    client.post("/accounts/login/", {"username": "reader", "password": "wrong"})
    assert AccessAttempt.objects.get().username == "reader"


def _entry_form(**fields):
    data = {
        "tasks": "一覧を見る",
        "command": "ls -la",
        "explanation": "",
        "tags": "",
        "note": "",
        "anchor": "",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    "fields",
    [
        {"command": "{{" * 50_000},
        {"command": "x" * (MAX_COMMAND_CHARS + 1)},
        {"tasks": "\n".join(f"task {i}" for i in range(21))},
        {"tasks": "t" * 301},
        {"explanation": "e" * 2001},
        {"tags": "t" * 101},
        {"tags": " ".join(f"t{i}" for i in range(21))},
    ],
    ids=[
        "brace-bomb",
        "long-command",
        "many-tasks",
        "long-task",
        "long-explanation",
        "long-tag",
        "many-tags",
    ],
)
def test_lookup_entry_form_refuses_overlong_fields_and_keeps_the_text(editor_client, fields):
    response = editor_client.post("/lookup/new/", _entry_form(**fields))
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Entry.objects.exists()
    # The form comes back with what was typed (Django escapes it in the textarea).
    typed = next(iter(fields.values()))
    assert typed[:20] in response.content.decode()


def test_lookup_entry_at_the_limit_saves(editor_client):
    command = "echo " + "x" * (MAX_COMMAND_CHARS - 5)
    response = editor_client.post("/lookup/new/", _entry_form(command=command))
    assert response.status_code == 302
    assert Entry.objects.get().command == command


def test_the_database_refuses_overlong_commands_from_any_writer(db):
    with pytest.raises(IntegrityError):
        Entry.objects.create(tasks=["t"], command="x" * (MAX_COMMAND_CHARS + 1), origin="manual")


def test_extraction_skips_commands_over_the_limit(make_note):
    long_line = "echo " + "a" * 2000
    note = make_note(title="長い", body=f"## 長い行\n\n```sh\n{long_line}\nls -la\n```\n")
    replace_note_entries(note)
    commands = list(Entry.objects.filter(note=note).values_list("command", flat=True))
    assert "ls -la" in commands and long_line not in commands


def test_a_manual_command_is_one_line_or_continued_lines(editor_client):
    response = editor_client.post("/lookup/new/", _entry_form(command="cd /srv\r\nmake deploy"))
    assert response.status_code == 200 and "コマンドは 1 行です" in response.content.decode()
    assert not Entry.objects.filter(origin="manual").exists()
    editor_client.post("/lookup/new/", _entry_form(command="docker run \\\r\n  -p 8080:80 web"))
    assert Entry.objects.get(origin="manual").command == "docker run -p 8080:80 web"
