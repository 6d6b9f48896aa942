import pytest
from django.core.management import call_command

from lookup.models import Entry
from notes.models import Note

pytestmark = pytest.mark.django_db


def test_import_tldr_is_idempotent(fixtures_dir, capsys):
    root = fixtures_dir / "lookup" / "tldr"
    call_command("import_tldr", str(root))
    notes = Note.objects.filter(import_key__startswith="tldr:")
    assert notes.count() == 4
    en = Note.objects.get(import_key="tldr:en/common/kbtool")
    assert en.title == "kbtool" and set(en.tags.names()) == {"tldr", "common", "lang:en"}
    assert en.reference_language == "en" and en.tags.get(name="lang:en").slug == "lang-en"
    entries = Entry.objects.filter(note=en).order_by("position")
    assert [e.command for e in entries] == [
        "kbtool list {{[-a|--all]}}",
        "kbtool remove {{widget_name}}",
        "kbtool --version",
    ]
    first = entries[0]
    assert first.origin == "tldr" and first.language == "en" and first.task == "List all widgets"
    assert first.explanation == "Made-up tool used by kb's tests."
    assert set(first.tags) == {"tldr", "common", "kbtool"} and first.anchor == "kbtool"
    ja = Entry.objects.get(
        note__import_key="tldr:ja/common/kbtool", command="kbtool remove {{ウィジェット名}}"
    )
    assert ja.language == "ja" and ja.task == "名前を指定してウィジェットを削除する"
    assert set(Entry.objects.get(command__startswith="kbtool sync").tags) >= {"linux"}
    # alias pages only point at another page
    assert not Entry.objects.filter(command__startswith="tldr ").exists()

    before = (Note.objects.count(), Entry.objects.count())
    call_command("import_tldr", str(root))
    assert (Note.objects.count(), Entry.objects.count()) == before
    assert "4 unchanged" in capsys.readouterr().out


def test_reimport_updates_a_changed_page(fixtures_dir, copy_fixture, tmp_path):
    root = copy_fixture("lookup")
    call_command("import_tldr", str(root / "tldr"))
    page = root / "tldr" / "pages" / "common" / "kbtool.md"
    page.write_text(page.read_text().replace("Show the version", "Print the version"))
    call_command("import_tldr", str(root / "tldr"))
    assert Entry.objects.get(command="kbtool --version").task == "Print the version"
    assert Note.objects.filter(import_key="tldr:en/common/kbtool").count() == 1


def test_imported_pages_are_found(client, fixtures_dir):
    call_command("import_tldr", str(fixtures_dir / "lookup" / "tldr"))
    results = client.get("/api/lookup", {"q": "ウィジェットを削除したい"}).json()["results"]
    assert results[0]["template"] == "kbtool remove {{ウィジェット名}}"
    assert results[0]["command"] == "kbtool remove <ウィジェット名>"
    results = client.get("/api/lookup", {"q": "list widgets"}).json()["results"]
    assert results[0]["template"] == "kbtool list {{[-a|--all]}}"


def test_missing_folder_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import_tldr", str(tmp_path / "nope"))


def test_popularity_prior_from_cross_references(fixtures_dir, make_note):
    from lookup import popularity

    call_command("import_tldr", str(fixtures_dir / "lookup" / "tldr"))
    tool = Entry.objects.get(command="kbtool --version")
    assert 0 < tool.popularity <= 1  # kbtool turns up in the other kbtool pages
    note_entry = Entry.objects.get(note=make_note(title="t", body="`$ kbtool list`\n"))
    assert note_entry.popularity == 0.8  # the team's own notes rank as well-known commands
    assert popularity.refresh() == 0  # nothing changed since the import computed it

    # editing a tldr page in the browser keeps its commands' prior
    note = tool.note
    note.body = note.body.replace("Show the version", "Print the version")
    note.save_with_tags(["tldr", "common"])
    assert Entry.objects.get(command="kbtool --version").popularity == tool.popularity


def test_rebuild_lookup_reextracts_and_keeps_manual_entries(fixtures_dir, make_note):
    call_command("import_tldr", str(fixtures_dir / "lookup" / "tldr"))
    note = make_note(title="t", body="`$ docker ps -a`\n")
    Entry(tasks=["手書き"], command="echo hi", origin="manual").save()
    Entry.objects.filter(note=note).delete()
    before = Entry.objects.count()
    call_command("rebuild_lookup")
    assert Entry.objects.count() == before + 1
    assert Entry.objects.filter(command="echo hi", origin="manual").exists()
    assert Entry.objects.get(command="kbtool --version").explanation == "Made-up tool used by kb's tests."


def test_rebuild_lookup_team_leaves_the_tldr_entries_alone(fixtures_dir, make_note):
    call_command("import_tldr", str(fixtures_dir / "lookup" / "tldr"))
    note = make_note(title="t", body="`$ docker ps -a`\n")
    Entry(tasks=["手書き"], command="echo hi", origin="manual").save()
    Entry.objects.filter(note=note).delete()
    tldr = set(Entry.objects.filter(origin="tldr").values_list("pk", flat=True))
    call_command("rebuild_lookup", "--team")
    assert Entry.objects.filter(note=note, command="docker ps -a").exists()  # extracted again
    assert Entry.objects.filter(command="echo hi", origin="manual").exists()
    assert set(Entry.objects.filter(origin="tldr").values_list("pk", flat=True)) == tldr  # same rows


def test_cheatsheet_shows_each_command_once_in_the_ui_language(client, fixtures_dir):
    call_command("import_tldr", str(fixtures_dir / "lookup" / "tldr"))
    ja = client.get("/cheatsheet/kbtool/").content.decode()
    assert ja.count("kbtool list") == 1
    assert "ウィジェット名" in ja and "widget_name" not in ja
    assert "kbtool --version" in ja  # no Japanese entry for it: the English one stands in
    assert ja.index("ウィジェット名") < ja.index("kbtool --version")  # the viewer's page first
    client.cookies["django_language"] = "en"
    en = client.get("/cheatsheet/kbtool/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert en.count("kbtool list") == 1
    assert "widget_name" in en and "ウィジェット名" not in en


def test_lookup_shows_a_command_once_though_each_language_names_its_fields(client, fixtures_dir):
    call_command("import_tldr", str(fixtures_dir / "lookup" / "tldr"))
    # The en page writes {{widget_name}} and the ja page {{ウィジェット名}}: one answer.
    for lang, field in (("ja", "ウィジェット名"), ("en", "widget_name")):
        client.cookies["django_language"] = lang
        results = client.get("/api/lookup", {"q": "remove a widget"}, HTTP_ACCEPT_LANGUAGE=lang).json()[
            "results"
        ]
        removes = [r["template"] for r in results if r["template"].startswith("kbtool remove")]
        assert removes == [f"kbtool remove {{{{{field}}}}}"], lang


def test_bulk_import_indexes_search_as_a_full_reindex_would(fixtures_dir, make_note):
    from django.db import connection

    from search.indexing import reindex_all

    make_note("kbtool のメモ", "kbtool list で一覧を見る", tags=["kbtool"])  # words counted before the import

    def index_state():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT note_id, document::text, title_vector::text, title_key FROM search_searchdocument"
            )
            documents = sorted(cur.fetchall())
            cur.execute("SELECT word, ndoc FROM search_word")
            return documents, sorted(cur.fetchall())

    call_command("import_tldr", str(fixtures_dir / "lookup" / "tldr"))
    after_import = index_state()
    assert len(after_import[0]) == 5 and ("kbtool", 5) in after_import[1]
    reindex_all()
    assert index_state() == after_import


def test_every_entry_link_lands_on_an_id_of_its_page(fixtures_dir, make_note):
    from lookup.models import Entry

    call_command("import_tldr", str(fixtures_dir / "lookup" / "tldr"), verbosity=0)
    make_note(title="Checks", body="# Checks\n\n## Run\n\n`make run`\n\n## Run\n\n`make test`\n")
    entries = Entry.objects.exclude(note=None).select_related("note")
    assert entries.count() > 4
    for entry in entries:
        assert entry.anchor and f'id="{entry.anchor}"' in entry.note.body_html, (entry.command, entry.anchor)
