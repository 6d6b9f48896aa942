import re
from pathlib import Path

import pytest

from lookup.extract import extract, task_head
from notes.markdown import render


def page_ids(text: str) -> list[str]:
    return re.findall(r'<h[1-6] id="([^"]+)"', render(text).html)


NOTE = (Path(__file__).parent / "fixtures" / "lookup" / "note.md").read_text()


def by_command(text: str, title: str = "") -> dict[str, object]:
    return {e.command: e for e in extract(text, title)}


def test_bare_command_in_a_sentence_gets_the_section_as_task():
    e = by_command(NOTE)["docker rm"]
    assert e.heading == "後片付け"
    assert "後片付け" in e.tasks and "跡形もなく削除できる" in e.tasks
    assert e.anchor == "後片付け"


def test_a_table_row_tasks_its_command_by_the_cells_beside_it():
    table = (
        "## よく使う\n\n"
        "| コマンド | 説明 |\n"
        "|---|:---:|\n"
        "| `docker ps` | 動いているコンテナを一覧表示する |\n"
        "| `ps aux \\| grep x` | プロセスを探す |\n"
        "| `rm -rf` | `ls -la` |\n"
        "| 普通のセル | テキスト |\n"
        "| `docker image ls` | イメージを<br>一覧する | 1 |\n"
        "| `docker rmi` | <b>イメージ</b>を消す | 使っていないものだけ |\n"
    )
    entries = by_command(table)
    assert entries["docker ps"].tasks == ["動いているコンテナを一覧表示する", "よく使う"]
    assert entries["ps aux | grep x"].task == "プロセスを探す"  # GFM escapes a pipe in a cell
    # Inline HTML is layout, a cell of only a number is no task, and a second cell of words
    # explains the first.
    assert entries["docker image ls"].task == "イメージを 一覧する"
    assert (entries["docker rmi"].task, entries["docker rmi"].explanation) == (
        "イメージを消す",
        "使っていないものだけ",
    )
    # Bare commands with no words beside them say no task: no entry, not the heading's.
    assert set(entries) == {"docker ps", "ps aux | grep x", "docker image ls", "docker rmi"}


def test_code_block_commands_use_comment_or_lead_sentence():
    entries = by_command(NOTE)
    assert entries["docker logs --tail 100 [コンテナ名]"].task == "最新100行だけ表示する"
    assert entries["docker logs -f <container_id>"].task == "ログを追いかけながら表示する"
    assert entries["docker ps --all"].tasks == ["Shell output"]  # console output lines skipped


def test_a_paragraph_before_a_block_explains_it_and_the_heading_names_the_task():
    md = (
        "## ログを追いかける\n\n"
        "標準出力に出たものが `docker logs` で読める。アプリのログは stdout に出しておく。\n\n"
        "```sh\ndocker logs -f web\n```\n\n"
        "## Tail the proxy\n\n"
        "The proxy writes to stdout. Its errors go to stderr.\n\n"
        "```sh\ndocker compose logs -f proxy\n```\n\n"
        "## Build\n\n"
        "イメージをキャッシュなしで作り直す\n\n"
        "```sh\ndocker build --no-cache .\n```\n"
    )
    found = {e.command: e for e in extract(md)}
    logs = found["docker logs -f web"]
    assert logs.tasks == ["ログを追いかける"]
    assert logs.explanation.startswith("標準出力に出たものが")
    assert found["docker compose logs -f proxy"].tasks == ["Tail the proxy"]
    # One sentence before a block still says what the block does.
    assert found["docker build --no-cache ."].tasks[0] == "イメージをキャッシュなしで作り直す"


def test_content_blocks_and_scripts_are_skipped():
    commands = set(by_command(NOTE))
    assert not any(c.startswith(("services", "FROM", "RUN", "image", "if ", "cat", "fi")) for c in commands)
    assert "abc123         nginx" not in commands


def test_prompt_stripped_and_remark_becomes_explanation():
    e = by_command(NOTE)["docker image prune -a"]
    assert e.task == "イメージ掃除"
    assert e.explanation.startswith("※ 使われていない")


def test_inline_command_in_sentence_and_list_item_lead():
    entries = by_command(NOTE)
    # The words around the command read as one sentence: not 「使っていない層 一掃できる」.
    assert "使っていない層は一掃できる" in entries["docker system prune"].tasks
    assert entries["docker network create [ネットワーク名]"].task == "ネットワークを作る"


def test_tldr_style_items():
    e = by_command(NOTE)["docker ps"]
    assert e.task == "稼働中のコンテナを一覧表示する"
    tldr_page = "# tool\n\n> Does things.\n\n- Do a thing:\n\n`tool do {{thing}}`\n"
    assert [(x.task, x.command, x.anchor) for x in extract(tldr_page)] == [
        ("Do a thing", "tool do {{thing}}", "tool")
    ]


def test_names_and_options_in_prose_are_not_commands():
    commands = set(by_command(NOTE))
    assert "latest" not in commands and "-p 8080:80" not in commands


def test_anchors_match_the_note_page():
    all_ids = set(page_ids(NOTE))
    for e in extract(NOTE):
        assert e.anchor in all_ids
    # the second "## Checks" is checks-1, as the page (and GitHub) makes it
    assert by_command(NOTE)["docker version"].anchor == "checks-1"


def test_heading_with_markup_gets_the_page_id():
    text = "## Use `docker ps` **now** (fast)\n\n`$ docker ps -q`\n"
    assert extract(text)[0].anchor == page_ids(text)[0] == "use-docker-ps-now-fast"


def test_title_is_the_task_before_any_heading():
    e = extract("```sh\nkubectl get pods -A\n```\n", title="Pods")[0]
    assert (e.task, e.anchor) == ("Pods", "")


def test_continuation_lines_and_multi_command_limit():
    text = "## Build\n\n```bash\ndocker build \\\n  -t app .\n```\n"
    assert extract(text)[0].command == "docker build \\\n-t app ."
    many = "## Many\n\n```sh\n" + "\n".join(f"echo {i} now" for i in range(9)) + "\n```\n"
    assert len(extract(many)) == 5


def test_tldr_items_are_kept_whole():
    page = (
        "# lst\n\n> Lists things.\n\n"
        "- List entries in long format, sorted by size (largest first):\n\n`lst -lS`\n\n"
        "- List entries in long format, sorted by time (oldest first, newest last):\n\n`lst -ltr`\n\n"
        "- Mark each entry with its kind (directory/, link@, executable*, ...):\n\n`lst -F`\n"
    )
    assert [e.task for e in extract(page)] == [
        "List entries in long format, sorted by size (largest first)",
        "List entries in long format, sorted by time (oldest first, newest last)",
        "Mark each entry with its kind (directory/, link@, executable*, ...)",
    ]


def test_long_prose_tasks_are_cut_without_open_brackets():
    text = (
        "## 待つ\n\n"
        "`kbwait --db` で接続を受け付けるまで待ってから先へ進む (既定で六十秒、待つ間は理由を表示する)。\n\n"
        "`kbsize --human` で大きさを読みやすい単位 (KiB、MiB、GiB) で表示できるが、遅いこともある。\n\n"
        "`kbrun go` でジョブを順番に実行して結果を保存する (ジョブが多いときは並列数を指定して時間を短くでき、"
        "失敗したジョブだけを後から選んでやり直すこともできるので、夜間の一括処理にも向いている)。\n"
    )
    tasks = {e.command: e.tasks[0] for e in extract(text)}
    assert (
        tasks["kbwait --db"]
        == "接続を受け付けるまで待ってから先へ進む (既定で六十秒、待つ間は理由を表示する)"
    )
    assert tasks["kbsize --human"] == "大きさを読みやすい単位 (KiB、MiB、GiB) で表示できる"
    assert tasks["kbrun go"] == "ジョブを順番に実行して結果を保存する"  # too long: the bracket goes whole
    for task in tasks.values():
        assert task.count("(") == task.count(")")


def test_task_head_sets_asides_apart_for_ranking():
    assert task_head("List entries in long format, sorted by size (largest first)") == (
        "List entries in long format",
        "largest first sorted by size",
    )
    assert task_head("全部を長い形式（権限、サイズ）で一覧表示する") == (
        "全部を長い形式 で一覧表示する",
        "権限、サイズ",
    )
    assert task_head("List all entries, hidden ones too") == ("List all entries, hidden ones too", "")


def test_questions_fragments_and_bare_names_are_not_tasks():
    text = (
        "## 一度作ったコンテナは消してはいけないのか？\n\n"
        "`kbctl run -v` でデータを外に置く。\n\n"
        "## 片付けの注意\n\n"
        "では `kbctl prune` を使えば全部消えるのか？\n"
        '`CMD ["kbd", "serve"]` と書けばプロセスが PID 1 になり、`kbctl stop` の合図を直接受け取れる。\n'
        "`kbctl inspect` の State で、終了コードを確認できる。\n\n"
        "## PUBLISH\n\n"
        "`kbctl run`する際、ポートを省くと空いている番号が選ばれる。\n\n"
        "## 作り直し\n\n"
        "`kbctl build` で、イメージを作り直せる。\n"
        "`kbctl rm` で跡形もなく削除できる。\n"
    )
    entries = by_command(text)
    assert entries["kbctl run -v"].tasks == ["データを外に置く"]  # the question heading is dropped
    for junk in ("kbctl prune", "kbctl stop", "kbctl inspect", "kbctl run"):
        assert junk not in entries
    assert entries["kbctl build"].tasks[0] == "イメージを作り直せる"
    assert entries["kbctl rm"].tasks == ["跡形もなく削除できる", "作り直し"]


def test_seed_style_cleanup_section_still_yields_rm():
    text = "## コンテナの破棄\n\n止めたコンテナは残る。\ndocker rm で完全に削除できる。\n"
    assert set(by_command(text)["docker rm"].tasks) == {"コンテナの破棄", "完全に削除できる"}


@pytest.mark.parametrize(
    "sentence",
    [
        "DB コンテナを `docker rm` した直後だと、ボリュームも消える。",
        "コンテナを消すと、`docker start` ではもう戻せないので注意する。",
        "`docker stop` はまず SIGTERM を送り、待ってから止める。",
        "データを残したいなら `docker compose stop` で止めるだけで済む。",
    ],
)
def test_it_skips_sentences_that_only_set_the_scene(sentence):
    tasks = [t for e in extract(f"## 見出し\n\n{sentence}\n") for t in e.tasks]
    assert not any(t.endswith(("だと", "と", "り")) or t.startswith("なら") for t in tasks), tasks


def test_it_still_reads_sentences_that_say_what_a_command_does():
    entries = extract("## 破棄\n\n止めたコンテナは `docker rm` で完全削除できる。\n")
    assert [e.command for e in entries] == ["docker rm"]
    assert entries[0].tasks[0].endswith("完全削除できる")


def test_a_command_given_as_an_example_is_tasked_by_what_follows():
    md = "## その他\n\n`docker cp web:/app - > app.tar` のようにコピー先を `-` にすると tar で標準出力に書き出せる。\n"
    (entry,) = extract(md)
    assert entry.task == "コピー先を - にすると tar で標準出力に書き出せる"


def test_one_sentence_before_several_commands_explains_them_and_the_heading_is_the_task():
    md = (
        "## ネットワークを作ってつなぐ\n\n"
        "`db` という名前で DB に接続できるようになる。\n\n"
        "```sh\ndocker network create net\ndocker run -d --name db --network net postgres:17\n```\n\n"
        "## ログ\n\n"
        "直近 100 行だけ表示する\n\n"
        "```sh\ndocker logs --tail 100 web\n```\n"
    )
    entries = by_command(md)
    for cmd in ("docker network create net", "docker run -d --name db --network net postgres:17"):
        assert entries[cmd].task == "ネットワークを作ってつなぐ"
        assert "接続できるようになる" in entries[cmd].explanation
    # A single command still takes the sentence above it.
    assert entries["docker logs --tail 100 web"].task == "直近 100 行だけ表示する"


def test_a_command_named_as_where_something_shows_is_no_task():
    md = "## ARG\n\nARG の値は `docker history` から見えるので、トークン類は secret で渡す。\n"
    assert "docker history" not in by_command(md)


@pytest.mark.parametrize(
    ("markup", "words"),
    [
        ("**太字** と *斜体* と ~~取り消し~~ と __下線__", "太字 と 斜体 と 取り消し と 下線"),
        ("[リンク](https://example.com) と ![図](img.png)", "リンク と 図"),
        ("E[x]tract a g[z]ipped `file`", "Extract a gzipped file"),
        ("行を<br>分ける <b>太字</b> と `<br>` と <container>", "行を 分ける 太字 と <br> と <container>"),
        ("``a`b`` と ``x` と `y`", "a`b と ``x と y`"),
        ("executable* stays, as does 2 * 3 * 4", "executable* stays, as does 2 * 3 * 4"),
    ],
)
def test_inline_markup_becomes_plain_words(markup, words):
    from lookup.wording import clean

    assert clean(markup) == words


@pytest.mark.parametrize(
    "line", ["*a " * 30000, "~~a " * 20000, "**a " * 20000, "[" * 20000, "![" * 20000, "a " + "`" * 8000]
)
def test_unpaired_markup_on_a_long_line_is_kept_as_it_is(line):
    # A QA pass saved "*a " * 30000: the emphasis pattern scanned to the end of the line from
    # every star, and the save took 30 s (BENCHMARKS.md, hostile inputs, has the times).
    from lookup.wording import clean

    # Unpaired halves are dropped, as before; one run of backticks is no code span.
    halves = line.replace("**", "").replace("~~", "")
    assert clean(line) == " ".join(halves.split())
    assert extract(f"- 説明:\n\n`docker ps`\n\n{line}\n") == extract("- 説明:\n\n`docker ps`\n\nx\n")


def test_words_that_talk_about_a_command_are_no_task_for_it():
    text = (
        "## 永続化\n\n"
        "`$docker rm`このコマンドをして再度`docker run`をするとコンテナIDが変わるとおもう。\n\n"
        "`docker volume ls` でボリュームを一覧表示する。\n"
    )
    found = by_command(text)
    # 「このコマンドをして再度」 and 「コンテナIDが変わるとおもう」 were their tasks.
    assert "docker rm" not in found and "docker run" not in found
    assert "ボリュームを一覧表示する" in found["docker volume ls"].tasks
