"""One readable rendering of tldr syntax on every surface, and /q/ for scripts."""

import pytest
from django.core.management import call_command

from lookup.models import Entry

pytestmark = pytest.mark.django_db

RAW_LOGS = "kbdock {{[logs|container logs]}} {{[-f|--follow]}} {{name|id}}"
LOGS = "kbdock logs -f <name/id>"
EXIT_CODE = "kbdock inspect -f '{{.State.ExitCode}}' <container>"


@pytest.fixture
def tldr(fixtures_dir):
    call_command("import_tldr", str(fixtures_dir / "commands" / "tldr"), verbosity=0)
    return Entry.objects.get(command=RAW_LOGS).note


def test_api_gives_the_readable_command_and_the_template(client, tldr):
    results = client.get("/api/lookup", {"q": "follow the logs of a container"}).json()["results"]
    hit = next(r for r in results if r["template"] == RAW_LOGS)
    assert hit["command"] == LOGS


def test_plain_text_shows_readable_commands(client, tldr):
    text = client.get("/q/exit+code+of+a+stopped+container").content.decode()
    assert EXIT_CODE in text.splitlines()
    assert "{{" not in text.replace("{{.State.ExitCode}}", "")


def test_cheatsheet_and_note_page_show_readable_commands(client, tldr):
    sheet = client.get("/cheatsheet/tldr/").content.decode()
    page = client.get(tldr.get_absolute_url()).content.decode()
    for html in (sheet, page):
        assert "kbdock logs -f &lt;name/id&gt;" in html
        assert "kbdock inspect -f &#x27;{{.State.ExitCode}}&#x27; &lt;container&gt;" in html or (
            "kbdock inspect -f '{{.State.ExitCode}}' &lt;container&gt;" in html
        )
        assert "{{[logs|container logs]}}" not in html and "{{name|id}}" not in html


def test_team_notes_keep_template_braces_in_their_body(client, make_note):
    note = make_note(title="Helm", body="Use `helm template {{ .Values.name }}` and `{{ name }}`.")
    page = client.get(note.get_absolute_url()).content.decode()
    assert "{{ name }}" in page


def test_lookup_page_shows_the_readable_form_before_anything_is_filled(client, tldr):
    page = client.get("/lookup/", {"q": "follow the logs of a container"}).content.decode()
    assert f">{LOGS.replace('<', '&lt;').replace('>', '&gt;')}</code>" in page


def test_q_without_a_query_answers_a_usage_line(client):
    for url in ("/q/", "/q", "/q/+"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/plain")
        assert response.content.decode().startswith("# ") and "curl" in response.content.decode()
        assert "/q/コンテナ+削除" in response.content.decode()  # readable, not %E3%82%B3…


def test_q_without_a_match_is_a_plain_404(client, tldr):
    response = client.get("/q/zzzz-nothing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith("# 見つかりません")


def test_lookup_corrects_typos_with_the_search_vocabulary(client, make_note):
    make_note(
        title="コンテナの片付け",
        body="- 停止したコンテナを削除する:\n\n`docker rm web`\n\n- 一覧:\n\n`docker ps -a`\n",
    )
    # Without the correction "rm" alone would match, and this shorter command would win.
    make_note(title="ファイル", body="- ファイルを消す:\n\n`rm tmp.txt`\n")
    results = client.get("/api/lookup", {"q": "dokcer rm"}).json()["results"]
    assert results and results[0]["command"] == "docker rm web"
    text = client.get("/q/dokcer+rm").content.decode()
    assert "docker rm web" in text.splitlines()


def test_lookup_corrects_a_typo_that_a_few_notes_keep_too(client, make_note):
    make_note(title="コンテナの片付け", body="- 停止したコンテナを削除する:\n\n`docker rm web`\n")
    for i in range(10):
        make_note(title=f"docker メモ {i}", body=f"- コンテナ {i} を起動する:\n\n`docker start c{i}`\n")
    make_note(
        title="古いメモ", body="- ファイルを取り出す:\n\n`dokcer cp web:/a ./a`\n"
    )  # the notes' own typo
    make_note(title="ファイル", body="- ファイルを消す:\n\n`rm tmp.txt`\n")
    results = client.get("/api/lookup", {"q": "dokcer rm"}).json()["results"]
    assert results[0]["command"] == "docker rm web"


def test_a_planted_brace_command_does_not_pin_a_worker(editor_client):
    # Issue 12: a command of "{{" * 50000 blocked a worker for more than 30 s.
    import signal

    def expire(*_):
        raise TimeoutError("a page kept parsing the planted command")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(30)  # a guard against hanging the suite, not a speed target
    try:
        # Commands have a length limit now (issue 12): the 100k-character one is refused
        # with a form error, and the longest allowed one must still be cheap everywhere.
        refused = editor_client.post(
            "/lookup/new/", {"tasks": "括弧だらけ", "command": "{{" * 50000, "tags": "planted"}
        )
        assert refused.status_code == 200 and refused.context["form"].errors["command"]
        planted = "{{" * 500
        response = editor_client.post(
            "/lookup/new/", {"tasks": "括弧だらけ", "command": planted, "tags": "planted"}
        )
        assert response.status_code == 302
        assert editor_client.get("/lookup/", {"q": "括弧だらけ"}).status_code == 200
        hit = editor_client.get("/api/lookup", {"q": "括弧だらけ"}).json()["results"][0]
        assert hit["command"] == hit["template"] == planted  # no placeholder in it
        assert editor_client.get("/q/括弧だらけ").status_code == 200
        assert editor_client.get("/cheatsheet/planted/").status_code == 200
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
