"""Summaries kb writes itself are stored as codes and read in the viewer's language."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from history import revisions
from history.models import Revision

pytestmark = pytest.mark.django_db


def test_a_restore_summary_reads_in_each_viewers_language(editor_client, make_note):
    note = make_note(title="戻す", slug="modosu", body="一")
    note.body = "二"
    note.save_with_tags([], message="手で書いた要約")
    editor_client.post(f"/notes/{note.slug}/revisions/1/restore/")
    latest = Revision.objects.of(note.pk).first()
    assert latest.message == "" and latest.message_code == "restored"
    ja = editor_client.get(f"/notes/{note.slug}/history/").content.decode()
    assert "版 1 に戻しました" in ja and "手で書いた要約" in ja
    editor_client.cookies["django_language"] = "en"
    en = editor_client.get(f"/notes/{note.slug}/history/").content.decode()
    assert "Restored revision 1" in en and "版 1 に戻しました" not in en
    assert "手で書いた要約" in en  # what a person typed is never translated
    feed = editor_client.get("/changes/feed/").content.decode()
    assert "Restored revision 1" in feed or "版 1 に戻しました" in feed


def test_undelete_and_import_summaries_are_codes(kb_admin, make_note, fixtures_dir):
    from notes.importing import import_paths
    from notes.models import Note

    note = make_note(title="消す", slug="kesu")
    pk = note.pk
    note.delete()
    revisions.undelete(pk, editor=kb_admin)
    assert Revision.objects.of(pk).first().message_code == "undeleted"
    import_paths([fixtures_dir / "import" / "plain.md"])
    imported = Revision.objects.of(Note.objects.get(import_key="plain.md").pk).get()
    assert (imported.message_code, imported.message_params) == ("imported", {"source": "plain.md"})


def test_the_migration_turns_stored_wordings_into_codes(make_note):
    note = make_note(title="古い", slug="furui")
    rows = {
        "Restored revision 3": ("restored", {"number": 3}),
        "版 2 に戻しました": ("restored", {"number": 2}),
        "削除から復元": ("undeleted", {}),
        "imported from notes/a b.md": ("imported", {"source": "notes/a b.md"}),
        "import_tldr ja/common/tar": ("tldr_imported", {"page": "ja/common/tar"}),
        "誤字を直した": ("", {}),
    }
    for n, text in enumerate(rows, start=10):
        Revision.objects.create(note=note, note_key=note.pk, number=n, title="t", slug="s", message=text)
    migration = importlib.import_module("history.migrations.0004_summary_codes")
    migration.to_codes(apps, None)
    for text, (code, params) in rows.items():
        rev = Revision.objects.get(note_key=note.pk, number=10 + list(rows).index(text))
        assert (rev.message_code, rev.message_params) == (code, params), text
        assert rev.message == ("" if code else text)
