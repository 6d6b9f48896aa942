import pytest

from lookup.models import Entry

pytestmark = pytest.mark.django_db


def test_live_results_and_the_page_share_a_url_but_not_a_cache_entry(client):
    page = client.get("/lookup/?q=ls")
    live = client.get("/lookup/?q=ls", headers={"HX-Request": "true"})
    restore = client.get(
        "/lookup/?q=ls", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in page.content.decode() and "<html" not in live.content.decode()
    assert "<html" in restore.content.decode()
    assert "HX-Request" in page["Vary"]


def test_a_terminal_never_gets_an_escape_sequence_from_q(editor_client, client, make_note):
    response = editor_client.post(
        "/lookup/new/", {"tasks": "赤くする \x1b[31m", "command": "echo red", "explanation": "", "tags": ""}
    )
    assert response.status_code == 200 and "制御文字" in response.content.decode()
    assert "赤くする &lt;U+001B&gt;[31m" in response.content.decode()
    response = editor_client.post(
        "/lookup/new/", {"tasks": "赤くする", "command": "printf '\x1b[31m'", "explanation": "", "tags": ""}
    )
    assert response.status_code == 200 and "制御文字" in response.content.decode()
    # A note's code span with an escape pasted into it makes no entry; its other commands do.
    make_note(title="色", body="- 赤くする:\n\n`printf '\x1b[31mred'`\n\n- 一覧を見る:\n\n`ls -la`\n")
    assert not Entry.objects.filter(command__contains="\x1b").exists()
    assert Entry.objects.filter(command="ls -la").exists()
    # Older text, and the query echoed back, lose what a terminal would act on.
    Entry.objects.create(tasks=["古い\x1b[2J項目"], command="ls \x1b[2J", origin="manual")
    for path in ("/q/古い", "/q/ない\x1b[2Jもの"):
        assert "\x1b" not in client.get(path).content.decode()
