"""tldr imports record history in bulk, but stay out of /changes/ and the feed."""

import pytest
from django.core.management import call_command

from history.models import Revision
from notes.models import Note

pytestmark = pytest.mark.django_db

KEY = "tldr:en/common/kbtool"


def _import(root) -> None:
    call_command("import_tldr", str(root))


def test_each_imported_page_gets_a_first_revision(client, fixtures_dir):
    _import(fixtures_dir / "lookup" / "tldr")
    notes = Note.objects.filter(import_key__startswith="tldr:")
    assert notes.count() == 4
    for note in notes:
        rev = Revision.objects.of(note.pk).get()
        assert (rev.number, rev.kind, rev.author) == (1, Revision.Kind.IMPORT, None)
        assert (rev.title, rev.body, rev.slug) == (note.title, note.body, note.slug)
    note = notes.get(import_key=KEY)
    rev = Revision.objects.of(note.pk).get()
    assert rev.tags == ["common", "lang:en", "tldr"] and rev.message_params == {"page": "en/common/kbtool"}
    history = client.get(f"/notes/{note.slug}/history/").content.decode()
    assert (
        "No revisions recorded yet." not in history
        and "tldr のページ en/common/kbtool から取り込み" in history
    )
    assert client.get(f"/notes/{note.slug}/revisions/1/").status_code == 200
    # Running it again changes nothing: no second revision.
    _import(fixtures_dir / "lookup" / "tldr")
    assert Revision.objects.count() == 4


def test_imports_stay_out_of_recent_changes_and_the_feed(client, fixtures_dir, make_note):
    make_note(title="手書きのメモ", slug="hand")
    _import(fixtures_dir / "lookup" / "tldr")
    changes = client.get("/changes/").content.decode()
    assert "手書きのメモ" in changes and "tldr-en-common-kbtool" not in changes
    # One collapsed line says they exist and where to find them.
    assert "imported-summary" in changes and "4 件の版" in changes
    feed = client.get("/changes/feed/").content.decode()
    assert "手書きのメモ" in feed and "kbtool" not in feed


def test_changed_pages_and_hand_edits_can_be_diffed(editor_client, copy_fixture):
    root = copy_fixture("lookup") / "tldr"
    _import(root)
    note = Note.objects.get(import_key=KEY)
    # A hand edit is an ordinary revision, listed in /changes/.
    edited = note.body.replace("Show the version", "Show the installed version")
    response = editor_client.post(
        f"/notes/{note.slug}/edit/",
        {"title": note.title, "body": edited, "tags": "tldr, common", "base_revision": "1"},
    )
    assert response.status_code == 302
    assert "tldr-en-common-kbtool" in editor_client.get("/changes/").content.decode()
    # The tldr page changes upstream: the import overwrites, as revision 3.
    page = root / "pages" / "common" / "kbtool.md"
    page.write_text(page.read_text().replace("Show the version", "Print the version"))
    _import(root)
    revs = list(Revision.objects.of(note.pk))
    assert [(r.number, r.kind) for r in revs] == [(3, "import"), (2, "edit"), (1, "import")]
    assert "Print the version" in revs[0].body and revs[0].tags == ["common", "tldr"]
    diff = editor_client.get(f"/notes/{note.slug}/diff/?a=2&b=3").content.decode()
    assert "<del>Show</del>" in diff and "<del>installed </del>" in diff and "<ins>Print</ins>" in diff


def test_pages_imported_before_history_get_their_first_revision(fixtures_dir):
    _import(fixtures_dir / "lookup" / "tldr")
    Revision.objects.all().delete()
    _import(fixtures_dir / "lookup" / "tldr")
    assert Revision.objects.filter(kind=Revision.Kind.IMPORT, number=1).count() == 4
