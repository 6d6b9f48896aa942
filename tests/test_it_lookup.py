import re
from urllib.parse import unquote

import pytest

from lookup.models import Entry

pytestmark = pytest.mark.django_db

CLEANUP = """## 後片付け

止めただけのコンテナは残り続ける。
docker rm で跡形もなく削除できる。

## よく使う

- 停止中も含めてコンテナを一覧表示する:

`docker ps -a`

- ネットワークを一覧表示する:

`docker network ls`
"""


@pytest.fixture
def notes(make_note):
    cleanup = make_note(title="コンテナの片付け", body=CLEANUP, tags=["docker"])
    files = make_note(
        title="Files",
        body="## Listing\n\n```sh\n# list files one per line\nls -1\n```\n\n- List all files:\n\n`ls -a`\n",
        tags=["shell"],
    )
    return cleanup, files


def test_entries_are_extracted_on_save_and_replaced_on_edit(notes):
    cleanup, _ = notes
    rm = Entry.objects.get(note=cleanup, command="docker rm")
    assert rm.origin == "extracted" and rm.language == "ja"
    assert rm.anchor == "後片付け" and "docker" in rm.tags
    assert rm.note_url() == cleanup.get_absolute_url() + "#後片付け"

    manual = Entry(tasks=["手で書いたタスク"], command="docker system df", note=cleanup, origin="manual")
    manual.save()
    cleanup.body = "## 新しい節\n\n`$ docker image prune`\n"
    cleanup.save_with_tags(["docker"])
    commands = set(Entry.objects.filter(note=cleanup).values_list("command", flat=True))
    assert commands == {"docker image prune", "docker system df"}  # old extracted gone, manual kept


def test_entries_go_with_their_note(notes):
    cleanup, _ = notes
    cleanup.delete()
    assert not Entry.objects.filter(command="docker rm").exists()


def test_api_shape_and_ranking(client, notes):
    data = client.get("/api/lookup", {"q": "コンテナを削除したい", "limit": 3}).json()
    assert data["query"] == "コンテナを削除したい"
    assert data["count"] == len(data["results"]) >= 1
    first = data["results"][0]
    assert set(first) == {
        "task",
        "command",
        "template",
        "explanation",
        "tags",
        "note_url",
        "note_title",
        "placeholders",
    }
    assert first["command"] == "docker rm"
    assert first["note_title"] == "コンテナの片付け" and first["placeholders"] == []
    assert first["note_url"].startswith("http://testserver/notes/")
    assert unquote(first["note_url"]).endswith("/コンテナの片付け/#後片付け")


def test_api_parses_placeholders_for_clients(client, make_note):
    make_note(title="ログ", body="## ログを追う\n\n`kbtail {{[-f|--follow]}} {{path/to/file}} [行数]`\n")
    result = client.get("/api/lookup", {"q": "kbtail"}).json()["results"][0]
    assert result["placeholders"] == [
        {
            "kind": "choice",
            "text": "-f",
            "raw": "{{[-f|--follow]}}",
            "choices": ["-f", "--follow"],
            "quote": "",
            "value": "",
        },
        {
            "kind": "field",
            "text": "path/to/file",
            "raw": "{{path/to/file}}",
            "choices": [],
            "quote": "",
            "value": "",
        },
        {"kind": "field", "text": "行数", "raw": "[行数]", "choices": [], "quote": "", "value": ""},
    ]


def test_short_exact_command_ranks_first(client, notes):
    results = client.get("/api/lookup", {"q": "ls"}).json()["results"]
    assert results[0]["command"].startswith("ls")
    assert [r["command"] for r in results].index("docker network ls") > 0


def test_options_count(client, notes):
    results = client.get("/api/lookup", {"q": "ls -a"}).json()["results"]
    assert results[0]["command"] == "ls -a"


def test_english_intent_words_do_not_block(client, notes):
    results = client.get("/api/lookup", {"q": "how to list files"}).json()["results"]
    assert results[0]["command"] in {"ls -1", "ls -a"}


def test_api_rejects_bad_limit(client, notes):
    assert client.get("/api/lookup", {"q": "ls", "limit": "x"}).status_code == 400
    assert client.get("/api/lookup", {"q": "ls", "limit": 0}).status_code == 400
    assert client.get("/api/lookup", {"q": ""}).json() == {"query": "", "count": 0, "results": []}


def test_plain_text_for_terminals(client, notes):
    response = client.get("/q/コンテナ+削除")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    first_block = text.split("\n\n")[0].splitlines()
    assert first_block[0].startswith("# ") and "docker rm" in first_block
    assert all(line.startswith("#") for line in first_block if line != "docker rm")
    assert client.get("/q/zzzz-nothing").status_code == 404
    # The note's address as a terminal shows it, not percent-encoded.
    cleanup, _ = notes
    assert f"#   http://testserver/notes/{cleanup.slug}/" in text and "%E3" not in text


def test_lookup_page_plain_and_htmx(client, notes):
    page = client.get("/lookup/", {"q": "コンテナ 削除"}).content.decode()
    assert "<html" in page and "docker rm" in page and "data-copy-command" in page
    fragment = client.get("/lookup/", {"q": "コンテナ 削除"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "docker rm" in fragment


def test_placeholder_fields_rendered(client, make_note):
    make_note(title="消す", body="- コンテナを消す:\n\n`docker rm {{[-f|--force]}} [コンテナ名]`\n")
    page = client.get("/lookup/", {"q": "コンテナを消す"}).content.decode()
    assert 'data-ph="[コンテナ名]"' in page and '<option value="--force">' in page


def test_cheatsheet(client, notes):
    page = client.get("/cheatsheet/docker/").content.decode()
    assert "docker rm" in page and "docker ps -a" in page and "ls -1" not in page
    assert client.get("/cheatsheet/nope/").status_code == 404


def test_a_cheatsheet_answers_to_the_tag_pages_address(client, make_note):
    make_note(title="git の基本", body="- 状態を見る:\n\n`git status`\n", tags=["Git チートシート"])
    assert unquote(client.get("/tags/Git チートシート/")["Location"]) == "/tags/git-チートシート/"
    response = client.get("/cheatsheet/git-チートシート/")
    assert response.status_code == 302
    page = client.get(unquote(response["Location"])).content.decode()
    assert "git status" in page and "<h1>Git チートシート" in page


def test_a_cheatsheet_says_which_platform_and_language_each_tldr_page_is(client, make_note):
    for n, key in enumerate(("tldr:en/common/kbsed", "tldr:en/linux/kbsed", "tldr:ja/common/kbsed")):
        make_note(
            title="kbsed",
            body=f"# kbsed\n\n> Edit text.\n\n- Replace text:\n\n`kbsed -{n} 's/a/b/' {{{{file}}}}`\n",
            tags=["kbtext"],
            import_key=key,
        )
    page = client.get("/cheatsheet/kbtext/").content.decode()
    headings = re.findall(r"<h2>(.*?)</h2>", page, re.S)
    shown = sorted(re.sub(r"<[^>]+>|\s+", " ", h).split("kbsed", 1)[1].split() for h in headings)
    assert shown == [
        ["tldr", "·", "EN", "common"],
        ["tldr", "·", "EN", "linux"],
        ["tldr", "·", "JA", "common"],
    ]


def test_note_page_lists_its_commands(client, notes):
    cleanup, _ = notes
    page = client.get(cleanup.get_absolute_url()).content.decode()
    assert 'class="note-commands"' in page and "docker network ls" in page


def test_anonymous_cannot_create_entries(client):
    response = client.post("/lookup/new/", {"tasks": "x", "command": "echo hi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Entry.objects.exists()


def test_editor_creates_edits_and_deletes_a_manual_entry(editor_client):
    response = editor_client.post(
        "/lookup/new/",
        {"tasks": "ポートを確認する\ncheck ports", "command": "ss -tlnp", "tags": "net, linux"},
    )
    assert response.status_code == 302
    entry = Entry.objects.get(command="ss -tlnp")
    assert entry.origin == "manual" and entry.tasks == ["ポートを確認する", "check ports"]
    assert entry.tags == ["net", "linux"]
    assert (
        editor_client.get("/api/lookup", {"q": "ポート 確認"}).json()["results"][0]["command"] == "ss -tlnp"
    )
    editor_client.post(f"/lookup/{entry.pk}/edit/", {"tasks": "ポートを見る", "command": "ss -tln"})
    entry.refresh_from_db()
    assert entry.command == "ss -tln"
    editor_client.post(f"/lookup/{entry.pk}/delete/")
    assert not Entry.objects.exists()


def test_entry_form_errors_keep_input(editor_client):
    response = editor_client.post("/lookup/new/", {"tasks": "  ", "command": "echo hi", "note": "missing"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "echo hi" in body and not Entry.objects.exists()


def test_entry_form_help_shows_every_placeholder_style(editor_client):
    body = editor_client.get("/lookup/new/").content.decode()
    assert "{{name}}、&lt;name&gt;、[名前]" in body


def test_private_mode_api_says_401(client, settings, notes):
    settings.KB_PUBLIC_READ = False
    assert client.get("/api/lookup", {"q": "ls"}).status_code == 401
    assert client.get("/lookup/", {"q": "ls"}).status_code == 302


def test_junk_from_a_question_section_does_not_answer(client, make_note):
    make_note(
        title="一度作ったコンテナは削除してはいけないのか？",
        body="`kbctl run -v` でデータを外に置く。\n\nでは `kbctl prune` を使えば全部消えるのか？\n",
    )
    make_note(title="片付け", body="`kbctl rm` でコンテナを削除できる。\n")
    commands = [
        r["command"] for r in client.get("/api/lookup", {"q": "コンテナを削除したい"}).json()["results"]
    ]
    assert commands == ["kbctl rm"]


def test_an_aside_in_a_note_title_does_not_answer_for_its_commands(client, make_note):
    make_note(
        title="コンテナからイメージを作る(kbctl cpやexecで中に入ったあと)",
        body="- コンテナをイメージ化する:\n\n`kbctl commit`\n",
    )
    make_note(
        title="ログとデバッグ",
        body="- 動いているコンテナに入ってシェルを開く:\n\n`kbctl exec -it <コンテナ名> sh`\n",
    )
    commands = [
        r["command"] for r in client.get("/api/lookup", {"q": "コンテナに入りたい"}).json()["results"]
    ]
    assert commands[0] == "kbctl exec -it <コンテナ名> sh"
    # The aside still counts a little: it is what the note says.
    assert "kbctl commit" in commands


def test_bare_command_name_prefers_the_plainest_entry(client, make_note):
    body = (
        "# kbls\n\n> Lists.\n\n- List entries sorted by size, recursively:\n\n`kbls -lSR`\n\n"
        "- List entries one per line:\n\n`kbls -1`\n\n- List everything in long format:\n\n`kbls -la`\n"
    )
    make_note(title="kbls", body=body)
    make_note(title="kbftp", body="- List files on the remote side:\n\n`kbls`\n")
    commands = [r["command"] for r in client.get("/api/lookup", {"q": "kbls"}).json()["results"]]
    assert commands[0] == "kbls"  # the team's own plain entry
    assert commands[1:] == ["kbls -1", "kbls -la", "kbls -lSR"]


def test_manual_entry_with_the_exact_task_ranks_first_and_save_lands_on_it(editor_client, make_note):
    make_note(
        title="ログ",
        body="## ログを追いかけたい\n\n- ログを追いかけたいときは最後の行から流して見る:\n\n`kblog tail -f app`\n",
    )
    response = editor_client.post("/lookup/new/", {"tasks": "ログを追いかけたい", "command": "kblog follow"})
    assert response.status_code == 302
    assert unquote(response["Location"]).replace("+", " ") == "/lookup/?q=ログを追いかけたい"
    results = editor_client.get("/api/lookup", {"q": "ログを追いかけたい"}).json()["results"]
    assert results[0]["command"] == "kblog follow"


def test_show_finds_what_the_reference_calls_list(client, fixtures_dir):
    # tldr says "List currently running …" where people ask "show running …"; "Display …"
    # matches "show" too, so without the 一覧/list/show group the wrong command came first.
    from django.core.management import call_command

    call_command("import_tldr", str(fixtures_dir / "showlist" / "tldr"))
    for q in ("show running containers", "running containers 一覧"):
        data = client.get("/api/lookup", {"q": q}).json()
        assert data["results"][0]["command"] == "kbps", q


def test_whole_words_keeps_only_the_whole_katakana_word():
    from search.parse import parse_query, whole_words

    log, follow = parse_query("ログを追いかけたい").terms
    assert log.tsquery() == "('ログ' | '=ログ')"  # ログ also matches inside ログイン
    assert whole_words(log.tsquery()) == "'=ログ'"
    assert whole_words(follow.tsquery()) == follow.tsquery()  # kanji stems are left alone
    long = parse_query("シンボリックリンク").terms[0]
    assert whole_words(long.tsquery()) == "'=シンボリックリンク'"


def _manual(task: str, command: str) -> Entry:
    entry = Entry(tasks=[task], command=command, origin="manual")
    entry.save()
    return entry


def test_the_value_a_query_names_is_filled_in(client):
    _manual("Start, stop or restart a service", "systemctl {{start|stop|restart}} {{unit}}")
    result = client.get("/api/lookup", {"q": "restart a service"}).json()["results"][0]
    assert result["command"] == "systemctl restart <unit>"
    assert result["template"] == "systemctl {{start|stop|restart}} {{unit}}"  # unchanged for tools
    values = {p["raw"]: p["value"] for p in result["placeholders"]}
    assert values == {"{{start|stop|restart}}": "restart", "{{unit}}": ""}

    # The page starts with the field filled in, so the copied command is the one asked for.
    page = client.get("/lookup/", {"q": "restart a service"}).content.decode()
    assert 'value="restart"' in page and "systemctl restart &lt;unit&gt;" in page
    assert "systemctl restart <unit>" in client.get("/q/restart+a+service").content.decode()

    # Nothing named, or two of the values named: nothing is chosen for the user.
    for q in ("manage a service", "stop or restart a service"):
        result = client.get("/api/lookup", {"q": q}).json()["results"][0]
        assert result["command"] == "systemctl <start/stop/restart> <unit>"
        assert all(p["value"] == "" for p in result["placeholders"])


def test_words_that_label_a_value_are_never_filled_in(client):
    # {{user}} stands alone as a label in three commands: a word for what to type.
    _manual("Switch to a cluster, context or user", "kubeswitch {{cluster|context|user}}")
    for tool in ("greet", "wave", "nod"):
        _manual(f"{tool} someone", f"{tool} {{{{user}}}}")
    result = client.get("/api/lookup", {"q": "switch to another user"}).json()["results"][0]
    assert result["command"] == "kubeswitch <cluster/context/user>"  # not "kubeswitch user"
    # Two words are "this or that": a label, even when no command uses them alone.
    _manual("Check out a tag or a commit", "git switch --detach {{tag|commit}}")
    result = client.get("/api/lookup", {"q": "check out a tag"}).json()["results"][0]
    assert result["command"] == "git switch --detach <tag/commit>"


def test_the_number_a_query_names_fills_the_field_whose_example_is_a_number(client):
    _manual("Show the last lines of a file", "tail {{[-n|--lines]}} {{10}} {{path/to/file}}")
    result = client.get("/api/lookup", {"q": "show the last 50 lines of a file"}).json()["results"][0]
    assert result["command"] == "tail -n 50 <path/to/file>"
    assert {p["raw"]: p["value"] for p in result["placeholders"]}["{{10}}"] == "50"
    # Full-width digits count; a number inside a name (s3, ipv4) or a version does not.
    result = client.get("/api/lookup", {"q": "ファイルの最後の２０行を表示"}).json()["results"][0]
    assert result["command"] == "tail -n 20 <path/to/file>"
    for q in ("show the last lines of a file", "tail a file 10 or 20 lines", "tail lines of file.v2"):
        result = client.get("/api/lookup", {"q": q}).json()["results"][0]
        assert result["command"] == "tail -n <10> <path/to/file>", q


def test_a_count_tldr_spells_into_an_option_takes_the_query_number(client, make_note):
    page = make_note(title="tail", body="tldr page")
    command = "tail {{[-5|--lines 5]}} {{path/to/file}}"
    Entry(tasks=["Show last 5 lines in file"], command=command, origin="tldr", note=page).save()
    result = client.get("/api/lookup", {"q": "show the last 50 lines of a file"}).json()["results"][0]
    assert result["command"] == "tail -50 <path/to/file>"
    assert result["task"] == "Show last 50 lines in file"
    choice = next(p for p in result["placeholders"] if p["kind"] == "choice")
    assert choice["choices"] == ["-50", "--lines 50"]  # the page's menu and the shell say 50 too
    assert "tail -50 " in client.get("/q/ファイルの最後の５０行").content.decode()
    # A team's own command keeps what it wrote.
    _manual("最後の5行を見る", "tail {{[-5|--lines 5]}} app.log")
    results = client.get("/api/lookup", {"q": "最後の50行を見る"}).json()["results"]
    assert "tail -5 app.log" in [r["command"] for r in results]


def test_the_entry_that_takes_the_number_goes_before_the_same_command_without_it(client, make_note):
    page = make_note(title="tail", body="tldr page")
    for task, command in (
        ("Show last 10 lines in a file", "tail {{path/to/file}}"),
        ("Show last 5 lines in file", "tail {{[-5|--lines 5]}} {{path/to/file}}"),
    ):
        Entry(tasks=[task], command=command, origin="tldr", note=page).save()
    first = client.get("/api/lookup", {"q": "last 100 lines in a file"}).json()["results"][0]
    assert first["command"] == "tail -100 <path/to/file>"
    assert (
        client.get("/q/last+100+lines+in+a+file").content.decode().split("\n")[1]
        == "tail -100 <path/to/file>"
    )


def test_counted_first_moves_only_within_a_command():
    from types import SimpleNamespace

    from lookup.presets import counted_first

    tail10, head, tail100 = (
        SimpleNamespace(pk=i, command_key=k) for i, k in ((1, "tail"), (2, "head"), (3, "tail"))
    )
    assert [e.pk for e in counted_first([tail10, head, tail100], {3})] == [3, 1, 2]
    assert [e.pk for e in counted_first([head, tail10], {2})] == [2, 1]  # another command stays


def test_renumbered_templates():
    from lookup.placeholders import renumbered

    assert renumbered("head {{[-n|--lines]}} {{[5|10]}} f", ["3"]) is None  # spellings disagree
    assert renumbered("tail {{[-5|--lines 5]}} -c {{10}} f", ["3"]) is None  # and a numeric field
    assert renumbered("x {{[-5|--lines 5]}} {{[-2|--bytes 2]}}", ["3"]) is None  # which one: a guess
    assert renumbered("tail {{[-5|--lines 5]}} f", ["3", "4"]) is None
    assert renumbered("tail {{[-5|--lines 5]}} -v5 f", ["3"]) == ("tail {{[-3|--lines 3]}} -v5 f", "5")


def test_counted_values_of_a_template():
    from lookup.placeholders import counted
    from lookup.presets import numbers_in

    assert numbers_in("コンテナのログを最後の100行だけ見たい") == ["100"]
    assert numbers_in("port ８０８０") == ["8080"]
    assert numbers_in("python3 on ipv4 with s3, version 1.2, -p 8080:80") == []
    assert counted("ss -lt src :{{8080}}", ["5432"]) == {"{{8080}}": "5432"}
    assert counted("mpstat {{2}} {{5}}", ["3"]) == {}  # which of the two: a guess
    assert counted("ss -lt src :{{8080}}", ["1", "2"]) == {}
    assert counted("docker logs {{name}} -n 5", ["100"]) == {}  # a literal stays as written


def test_chosen_values_of_a_template():
    from lookup.placeholders import chosen

    template = "conda init {{zsh|bash|fish}} && uv version --bump {{major|minor|patch}} {{path/to/dir}}"
    assert chosen(template, {"bash", "minor"}) == {
        "{{zsh|bash|fish}}": "bash",
        "{{major|minor|patch}}": "minor",
    }
    assert chosen(template, {"dir", "path"}) == {}  # a path's label is not a list of values
    assert chosen("tool {{[-v|--verbose]}}", {"-v"}) == {}  # spellings of one option: not a value
    assert chosen("eselect set {{name|index|uuid}}", {"name"}, labels=frozenset({"name"})) == {}
    assert chosen("git switch --detach {{tag|commit}}", {"tag"}) == {}  # two: "this or that"


def test_an_explanation_shows_its_backticked_words_as_code(editor_client):
    # tldr's descriptions write code this way ("using `regex`es").
    editor_client.post(
        "/lookup/new/",
        {
            "tasks": "正規表現で探す",
            "command": "grep -E {{pattern}} {{file}}",
            "explanation": "`regex` を使う <b> ``a `b` c``",
        },
    )
    html = editor_client.get("/lookup/", {"q": "正規表現で探す"}).content.decode()
    assert "<code>regex</code>" in html and "&lt;b&gt;" in html and "`regex`" not in html
    assert "<code>a `b` c</code>" in html  # a double-backtick span, as CommonMark reads it


def test_lone_kanji_typed_as_verbs():
    from lookup.ranking import _verb_stems
    from search.parse import parse_query

    def stems(q: str) -> set[str]:
        return _verb_stems(q, parse_query(q).terms)

    assert stems("コンテナに入りたい") == {"入"}
    assert stems("コンテナを消したい") == {"消"}
    assert stems("コンテナの中で実行") == set()  # 中: a noun left over from a phrase


def test_a_verb_typed_as_one_kanji_is_the_tasks_action(monkeypatch):
    from lookup import meaning
    from vectors.backends import UniversalSentenceEncoder
    from vectors.search import Neighbour

    stop = _manual("コンテナを停止する", "docker stop {{container}}")
    enter = _manual("動いているコンテナに入ってシェルを開く", "docker exec -it {{container}} sh")
    # As USE has it: 「コンテナに入りたい」 is 0.87 from 「コンテナを停止する」 and 0.58 from the
    # entry that enters a container. Every word but the verb made `docker stop` first.
    use = UniversalSentenceEncoder()
    monkeypatch.setattr(meaning, "backend", lambda: use)
    monkeypatch.setattr(meaning, "nearest_chunks", lambda *a, **k: [])
    monkeypatch.setattr(
        meaning,
        "nearest_entries",
        lambda *a, **k: [Neighbour(stop.pk, None, 0.87), Neighbour(enter.pk, None, 0.58)],
    )
    monkeypatch.setattr("vectors.words.backend", lambda: None)
    assert Entry.objects.lookup("コンテナに入りたい", 3)[0].pk == enter.pk


def test_a_japanese_words_translation_counts_in_tasks_not_in_command_words(monkeypatch):
    from lookup import ranking

    # 終了 translates to "end" (vectors.words), which is also the `{{end}}` of a Go template.
    inspect = _manual(
        "コンテナ内のプロセスを見る",
        "docker inspect --format '{{range .Mounts}}{{.Source}}{{end}}' {{container}}",
    )
    kill = _manual("Terminate a process", "kill {{pid}}")
    kill.language = "en"
    kill.save()
    monkeypatch.setattr(ranking, "prefetch", lambda *a, **k: None)
    monkeypatch.setattr(ranking, "with_meaning", lambda qs, q, ranked, key, lang: ranked)
    monkeypatch.setattr(
        ranking,
        "translated",
        lambda q, query: query.with_alternatives({"終了": ["end", "terminate"], "プロセス": ["process"]}),
    )
    assert [e.pk for e in Entry.objects.lookup("プロセスを終了したい", 3)][:2] == [kill.pk, inspect.pk]
