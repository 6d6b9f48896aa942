"""The shell widget's scripts and page over HTTP, and its JSON reader on real answers."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from accounts.models import ApiToken
from lookup.models import Entry
from shell import scripts

pytestmark = pytest.mark.django_db

SHELL_SYNTAX_CHECK = {"bash": ["bash", "-n"], "zsh": ["zsh", "-n"], "fish": ["fish", "--no-execute"]}


@pytest.fixture
def private(settings):
    settings.KB_PUBLIC_READ = False
    settings.KB_EMBEDDINGS = "off"


@pytest.mark.parametrize("shell", scripts.SHELLS)
def test_scripts_are_served_to_anyone_with_the_sites_url(client, private, shell):
    response = client.get(f"/shell/kb.{shell}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "http://testserver/shell/kb." in text
    default = (
        "set -g _kb_default_url 'http://testserver'"
        if shell == "fish"
        else "_kb_default_url=http://testserver"
    )
    assert default in text.splitlines()
    assert "番号 (空欄で取り消し)" in text  # Japanese unless asked otherwise
    assert "Number (empty to cancel)" in client.get(f"/shell/kb.{shell}", {"lang": "en"}).content.decode()
    assert scripts.MARKER not in text


def test_other_script_names_are_not_found(client, private):
    assert client.get("/shell/kb.ps1").status_code == 404
    assert client.get("/shell/kb.").status_code == 404


@pytest.mark.parametrize("shell", scripts.SHELLS)
def test_scripts_parse_and_quote_the_url_as_data(shell, tmp_path):
    if not shutil.which(shell):
        if shell == "fish":
            pytest.skip("fish is optional")
        pytest.fail(f"{shell} not installed: see .ci/run")
    hostile = "http://x/'$(touch " + str(tmp_path / "pwned") + ")'\\\"`id`"
    text = scripts.render(shell, hostile)
    script = tmp_path / f"kb.{shell}"
    script.write_text(text)
    assert subprocess.run([*SHELL_SYNTAX_CHECK[shell], str(script)], capture_output=True).returncode == 0
    show = "printf %s $_kb_default_url" if shell == "fish" else 'printf %s "$_kb_default_url"'
    out = subprocess.run(
        [shell, "-c", f"source {script}; {show}"], capture_output=True, text=True, timeout=20
    )
    assert out.stdout == hostile
    assert not (tmp_path / "pwned").exists()


def test_setup_page_needs_a_login_on_a_private_site(client, private):
    response = client.get("/shell/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_setup_page_fills_in_the_sites_url(reader_client, private):
    html = reader_client.get("/shell/").content.decode()
    assert "シェルから使う" in html
    assert 'eval "$(curl -fsS http://testserver/shell/kb.bash)"' in html.replace("&quot;", '"')
    assert "curl -fsS http://testserver/shell/kb.fish | source" in html
    assert "KB_URL=http://testserver" in html
    # The transcript uses the scripts' own prompts.
    assert "番号 (空欄で取り消し): 2" in html and "$ docker rm --force web-1" in html
    assert " 2) docker rm -f &lt;container&gt;" in html  # as the menu shows a command
    reader_client.cookies["django_language"] = "en"
    english = reader_client.get("/shell/").content.decode()
    assert "kb in your shell" in english and "Number (empty to cancel): 2" in english
    assert "http://testserver/shell/kb.zsh?lang=en" in english


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_script_fetched_in_english_asks_for_english_answers(client, shell):
    english = client.get(f"/shell/kb.{shell}", {"lang": "en"}).content.decode()
    japanese = client.get(f"/shell/kb.{shell}").content.decode()
    assignment = "set -g _kb_lang 'en'" if shell == "fish" else "_kb_lang=en"
    assert assignment in english and assignment.replace("en", "ja") in japanese
    assert '--data "lang=$_kb_lang"' in english  # on every request it makes


def test_lookup_page_links_to_the_setup_page(reader_client):
    assert 'href="/shell/"' in reader_client.get("/lookup/").content.decode()


def _records(client, token: str, q: str, path: str = "/api/lookup", mode: str = "lookup") -> list[list[str]]:
    body = client.get(path, {"q": q}, HTTP_AUTHORIZATION=f"Bearer {token}").content
    program = scripts.awk_program()
    assert scripts.settings_block("bash", "x").count(program) == 1  # the program as served
    out = subprocess.run(
        ["awk", "-v", f"mode={mode}", program],
        input=body,
        capture_output=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
        check=True,
    ).stdout.decode()
    return [line.split("\x1f") for line in out.splitlines()]


def test_awk_reads_lookup_answers_and_escapes_control_characters(client, private, user, make_note):
    _, token = ApiToken.issue(user, "t")
    make_note(
        title='ログ "引用" \\ 😀',
        body="## 追う\n\n- ログを追う:\n\n`tail {{[-f|--follow]}} {{path/to/file}}`\n",
    )
    Entry.objects.create(tasks=["ログを消す"], command="echo a\nrm -rf ~", origin=Entry.Origin.MANUAL)
    Entry.objects.create(
        tasks=["ログを色付け"], command="printf '\x1b[31m'\u009b", origin=Entry.Origin.MANUAL
    )
    records = {r[3]: r for r in _records(client, token, "ログ") if r[0] == "E"}
    tail = records["tail {{[-f|--follow]}} {{path/to/file}}"]
    assert tail[2] == "1" and tail[5] == "ログを追う" and tail[6] == 'ログ "引用" \\ 😀'
    assert tail[7].startswith("http://testserver/notes/")
    assert records["echo a\\nrm -rf ~"][2] == "0"
    assert records["printf '\\x1b[31m'\\u009b"][2] == "0"
    placeholders = [r for r in _records(client, token, "ログ") if r[0] == "P" and r[1] == tail[1]]
    assert placeholders == [
        ["P", tail[1], "choice", "{{[-f|--follow]}}", "-f", "-f", "--follow"],
        ["P", tail[1], "field", "{{path/to/file}}", "path/to/file", ""],  # bare: quoted as a word
    ]


def test_awk_reads_search_answers_and_errors(client, private, user, make_note):
    _, token = ApiToken.issue(user, "t")
    make_note(title="バックアップ手順", slug="backup", body="毎晩のバックアップ")
    assert _records(client, token, "バックアップ", "/api/search", "search") == [
        ["S", "バックアップ手順", "http://testserver/notes/backup/"]
    ]
    # A wrong token gets the API's own JSON error, which the script passes on.
    assert _records(client, "kb_x", "x") == [["X", "invalid or revoked API token"]]


def test_awk_prefers_the_raw_template_when_the_api_gives_one():
    # /api/lookup may carry the readable form in `command` and the raw one in `template`.
    answer = {
        "results": [
            {
                "task": "t",
                "command": "tail -f path/to/file",
                "template": "tail {{[-f|--follow]}} {{path/to/file}}",
                "note_url": "",
                "note_title": "",
                "placeholders": [],
            },
            {"task": "u", "command": "ls {{path}}", "note_url": "", "note_title": "", "placeholders": []},
        ]
    }
    out = subprocess.run(
        ["awk", "-v", "mode=lookup", scripts.awk_program()],
        input=json.dumps(answer, ensure_ascii=False).encode(),
        capture_output=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
        check=True,
    ).stdout.decode()
    records = [line.split("\x1f")[:5] for line in out.splitlines()]
    assert records == [
        ["E", "1", "1", "tail {{[-f|--follow]}} {{path/to/file}}", "tail -f path/to/file"],
        ["E", "2", "1", "ls {{path}}", "ls {{path}}"],
    ]


def test_awk_fills_in_the_value_the_query_named(client, private, user):
    _, token = ApiToken.issue(user, "t")
    Entry.objects.create(
        tasks=["Start, stop or restart a service"],
        command="systemctl {{start|stop|restart}} {{unit}} # {{start|stop|restart}}",
        origin=Entry.Origin.MANUAL,
    )
    records = _records(client, token, "restart a service")
    (entry,) = [r for r in records if r[0] == "E"]
    assert entry[3] == "systemctl restart {{unit}} # restart"  # every occurrence, nothing asked
    assert [r[3] for r in records if r[0] == "P"] == ["{{unit}}"]
