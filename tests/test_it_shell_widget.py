"""The shell widget in real bash, zsh and fish under tmux, against a live private kb."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from accounts.models import ApiToken
from lookup.models import Entry
from tests.shell_pane import Pane, bin_without_fzf

pytestmark = [pytest.mark.django_db(transaction=True)]

SHELLS = [s for s in ("bash", "zsh", "fish") if shutil.which(s)]


def _need(*tools: str) -> None:
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: see .ci/run")


@pytest.fixture
def site(settings, live_server, user, make_note):
    """A private kb with two notes, and a token for the shell."""
    settings.KB_PUBLIC_READ = False
    settings.KB_EMBEDDINGS = "off"
    make_note(
        title="ログの見方",
        body=(
            "## ログを追う\n\n"
            "- ファイルの末尾の行を表示する:\n\n`tail -n {{10}} {{path/to/file}}`\n\n"
            "- ファイルの末尾を表示し続ける:\n\n`tail {{[-f|--follow]}} {{path/to/file}}`\n"
        ),
    )
    make_note(
        title="Archives",
        body=(
            "## Compress\n\n"
            "- Compress a directory into a tar archive:\n\n`tar czf {{archive.tar.gz}} {{path/to/directory}}`\n\n"
            "- Compress a directory into a zip file:\n\n`zip -r {{archive.zip}} {{path/to/directory}}`\n"
        ),
    )
    make_note(
        title="検索",
        body='## 探す\n\n- 文字列をディレクトリの中から再帰的に探す:\n\n`grep -rI "{{pattern}}" {{path}}`\n',
    )
    _, token = ApiToken.issue(user, "shell")
    return live_server.url, token


def _home(tmp_path, url: str, token: str):
    home = tmp_path / "home"
    (home / ".config" / "kb").mkdir(parents=True)
    (home / ".config" / "kb" / "config").write_text(f"KB_URL={url}\nKB_TOKEN={token}\n")
    return home


@pytest.fixture
def shell_in_tmux(tmp_path, site):
    _need("tmux", "curl")
    url, token = site
    panes = []

    def start(shell: str, *, fzf: bool, token: str = token, **kwargs) -> Pane:
        _need(shell)
        home = _home(tmp_path / f"{shell}-{len(panes)}", url, token)
        path = None if fzf else bin_without_fzf(home / "bin")
        if fzf:
            _need("fzf")
        pane = Pane(shell, home, url, path=path, **kwargs)
        panes.append(pane)
        return pane

    yield start
    for pane in panes:
        pane.close()


def _ranked(client, token: str, q: str) -> list[str]:
    response = client.get("/api/lookup", {"q": q}, HTTP_AUTHORIZATION=f"Bearer {token}")
    return [r["template"] for r in response.json()["results"]]


def test_lookup_order_the_widget_tests_rely_on(client, site):
    _, token = site
    assert _ranked(client, token, "ファイルの末尾の行を表示したい")[:2] == [
        "tail -n {{10}} {{path/to/file}}",
        "tail {{[-f|--follow]}} {{path/to/file}}",
    ]
    assert _ranked(client, token, "compress a directory")[:2] == [
        "tar czf {{archive.tar.gz}} {{path/to/directory}}",
        "zip -r {{archive.zip}} {{path/to/directory}}",
    ]


def _japanese_task_numbered_menu(pane: Pane) -> None:
    p = pane.prompt
    pane.type("ファイルの末尾の行を表示したい")
    pane.keys("C-g")
    pane.wait_for("番号 (空欄で取り消し)")
    screen = pane.screen()
    # The list shows the readable command; the fields are filled from the template.
    assert " 1) tail -n <10> <path/to/file>" in screen
    assert "ファイルの末尾を表示し続ける — ログの見方" in screen
    pane.type("2")
    pane.keys("Enter")
    pane.wait_for("1) -f  2) --follow")
    pane.type("2")
    pane.keys("Enter")
    pane.wait_for("path/to/file (Enter で path/to/file)")
    pane.type("/var/log/アプリ.log")
    pane.keys("Enter")
    # Quoted as the lookup page's Copy quotes it: only ASCII word characters go bare.
    pane.wait_line(f"{p}tail --follow '/var/log/アプリ.log'")


def _english_task_with_fzf(pane: Pane, marker) -> None:
    p = pane.prompt
    pane.type("compress a directory")
    pane.keys("C-g")
    pane.wait_for("kb> ")
    pane.wait_for("Compress a directory into a zip file")  # the list
    # The preview shows the task and the source note of the highlighted entry.
    pane.wait_for("Archives  http")
    pane.keys("Down")
    pane.wait(lambda s: "> zip -r" in s, what="the second entry highlighted")
    pane.keys("Enter")
    pane.wait_for("archive.zip (Enter で archive.zip)")
    pane.type(str(marker))
    pane.keys("Enter")
    pane.wait_for("path/to/directory (Enter で path/to/directory)")
    pane.keys("Enter")  # the default
    pane.wait_line(f"{p}zip -r {marker} path/to/directory")
    assert not marker.exists(), "the widget only edits the line"


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_key_japanese_task_numbered_menu_without_fzf(shell_in_tmux, shell):
    pane = shell_in_tmux(shell, fzf=False)
    _japanese_task_numbered_menu(pane)


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_key_english_task_with_fzf(shell_in_tmux, shell, tmp_path):
    pane = shell_in_tmux(shell, fzf=True)
    _english_task_with_fzf(pane, tmp_path / "backup.zip")


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_key_japanese_task_with_fzf_and_english_without(shell_in_tmux, shell, tmp_path):
    with_fzf = shell_in_tmux(shell, fzf=True)
    p = with_fzf.prompt
    with_fzf.type("ファイルの末尾の行を表示したい")
    with_fzf.keys("C-g")
    with_fzf.wait_for("ファイルの末尾を表示し続ける")
    with_fzf.keys("Down")
    with_fzf.keys("Enter")
    with_fzf.wait_for("選択 (Enter で -f)")
    with_fzf.keys("Enter")  # the first spelling
    with_fzf.wait_for("path/to/file (Enter で path/to/file)")
    with_fzf.type("app.log")
    with_fzf.keys("Enter")
    with_fzf.wait_line(f"{p}tail -f app.log")

    without = shell_in_tmux(shell, fzf=False)
    without.type("compress a directory")
    without.keys("C-g")
    without.wait_for("番号 (空欄で取り消し)")
    without.type("2")
    without.keys("Enter")
    without.wait_for("archive.zip (Enter で archive.zip)")
    without.type("out.zip")
    without.keys("Enter")
    without.wait_for("path/to/directory (Enter で")
    without.type("src")
    without.keys("Enter")
    without.wait_line(f"{p}zip -r out.zip src")


@pytest.mark.parametrize("shell", SHELLS)
def test_wrong_token_says_one_line_and_keeps_the_line(shell_in_tmux, shell):
    pane = shell_in_tmux(shell, fzf=shutil.which("fzf") is not None, token="kb_not-a-real-token")
    p = pane.prompt
    pane.type("ファイルの末尾の行を表示したい")
    pane.keys("C-g")
    screen = pane.wait_for("kb: トークンが拒否されました")
    errors = [line for line in screen.splitlines() if line.startswith("kb:")]
    assert errors == [
        f"kb: トークンが拒否されました: KB_TOKEN を確認してください (作成: {pane_url(pane)}/accounts/tokens/)"
    ]
    pane.wait_line(f"{p}ファイルの末尾の行を表示したい")
    # The line is still there to edit: more typing lands after it.
    pane.type(" です")
    pane.wait_line(f"{p}ファイルの末尾の行を表示したい です")


def pane_url(pane: Pane) -> str:
    config = (pane.socket.parent / ".config" / "kb" / "config").read_text()
    return config.split("KB_URL=", 1)[1].split("\n", 1)[0]


@pytest.mark.parametrize("shell", SHELLS)
def test_unreachable_kb_and_nothing_found(shell_in_tmux, shell):
    pane = shell_in_tmux(shell, fzf=False, env={"KB_URL": "http://127.0.0.1:9"})
    p = pane.prompt
    pane.type("ファイルの末尾の行を表示したい")
    pane.keys("C-g")
    pane.wait_for("kb: http://127.0.0.1:9 に接続できません")
    pane.wait_line(f"{p}ファイルの末尾の行を表示したい")

    found = shell_in_tmux(shell, fzf=False)
    found.type("zzzqqq")
    found.keys("C-g")
    found.wait_for("kb: 「zzzqqq」に合うコマンドは見つかりませんでした")
    found.wait_line(f"{found.prompt}zzzqqq")


def test_fish_key_with_and_without_fzf(shell_in_tmux, tmp_path):
    if "fish" not in SHELLS:
        pytest.skip("fish is not installed (optional)")
    pane = shell_in_tmux("fish", fzf=False)
    _japanese_task_numbered_menu(pane)
    pane = shell_in_tmux("fish", fzf=True)
    _english_task_with_fzf(pane, tmp_path / "backup.zip")


@pytest.mark.parametrize("shell", SHELLS)
def test_kb_command_puts_the_choice_on_the_next_prompt(shell_in_tmux, shell):
    pane = shell_in_tmux(shell, fzf=False)
    p = pane.prompt
    pane.type("kb compress a directory")
    pane.keys("Enter")
    pane.wait_for("番号 (空欄で取り消し)")
    pane.type("1")
    pane.keys("Enter")
    pane.wait_for("archive.tar.gz (Enter で archive.tar.gz)")
    pane.type("b.tgz")
    pane.keys("Enter")
    pane.wait_for("path/to/directory (Enter で")
    pane.type("docs")
    pane.keys("Enter")
    pane.wait(lambda s: "\ntar czf b.tgz docs\n" in s, what="the command printed")
    if shell == "bash":
        pane.wait_for("↑ キーでプロンプトに呼び出して編集できます。")
        pane.wait_line(p.rstrip())
        pane.keys("Up")
    pane.wait_line(f"{p}tar czf b.tgz docs")


@pytest.mark.parametrize("shell", SHELLS)
def test_typed_values_are_one_word_each_never_more_shell(shell_in_tmux, shell, tmp_path):
    pane = shell_in_tmux(shell, fzf=False)
    p = pane.prompt
    _grep_to_the_path_prompt(pane, 'it\'s "x" $HOME')  # inside the template's "…"
    pane.type("dir with space; touch pwned")  # a bare word
    pane.keys("Enter")
    pane.wait_line(f"""{p}grep -rI "it's \\"x\\" \\$HOME" 'dir with space; touch pwned'""")
    pane.keys("Enter")  # run it: grep looks for that text in that directory, and nothing else runs
    pane.wait_line(p.rstrip())
    # The shell runs in the test's working directory: an injected `touch` would land there.
    assert not (Path.cwd() / "pwned").exists() and not any(tmp_path.rglob("pwned"))


def _grep_to_the_path_prompt(pane: Pane, pattern: str) -> None:
    pane.type("文字列をディレクトリの中から再帰的に探したい")
    pane.keys("C-g")
    pane.wait_for("番号 (空欄で取り消し)")
    pane.type("1")
    pane.keys("Enter")
    pane.wait_for("pattern (Enter で pattern)")
    pane.type(pattern)
    pane.keys("Enter")
    pane.wait_for("path (Enter で path)")


@pytest.mark.parametrize("shell", SHELLS)
def test_an_extra_enter_or_the_rest_of_a_paste_never_runs_the_command(shell_in_tmux, shell, tmp_path):
    pane = shell_in_tmux(shell, fzf=False)
    p = pane.prompt
    marker = tmp_path / f"ran-{shell}"
    _grep_to_the_path_prompt(pane, "x")
    # The answer, then at once a second Enter and a pasted line with its own Enter: all of
    # it is in the terminal before the widget hands the line back.
    pane.keys("d1", "Enter", "Enter", f"touch {marker}", "Enter")
    pane.wait_line(f'{p}grep -rI "x" d1')
    time.sleep(1)  # a shell that ran the line would have printed its next prompt by now
    assert pane.line() == f'{p}grep -rI "x" d1'
    assert not marker.exists()


@pytest.mark.parametrize("shell", SHELLS)
def test_backslashes_and_quotes_in_a_value_stay_one_word(shell_in_tmux, shell, tmp_path):
    pane = shell_in_tmux(shell, fzf=False)
    # The pattern goes in the template's "…", where bash would expand a ! from history.
    _grep_to_the_path_prompt(pane, "release!v2")
    pane.type("x\\'; touch pwned; #")  # x\'; touch pwned; #  as a bare word
    pane.keys("Enter")
    pane.wait(lambda s: "grep -rI" in pane.line(), what="the filled line")
    pane.keys("Enter")  # run it: grep finds no such directory, and nothing else runs
    screen = pane.wait_for("No such file or directory")
    assert "event not found" not in screen
    assert "x\\'; touch pwned; #: No such file or directory" in screen
    assert not (Path.cwd() / "pwned").exists() and not any(tmp_path.rglob("pwned"))


@pytest.mark.parametrize("shell", SHELLS)
def test_backspace_over_kana_at_a_field_prompt_deletes_the_kana(shell_in_tmux, shell):
    pane = shell_in_tmux(shell, fzf=False)
    p = pane.prompt
    pane.type("stty iutf8")  # as a UTF-8 terminal is set up
    pane.keys("Enter")
    pane.wait_line(p.rstrip())
    _grep_to_the_path_prompt(pane, "x")
    pane.type("ウェブ1")
    pane.keys("BSpace", "BSpace", "Enter")
    pane.wait_line(f"{p}grep -rI \"x\" 'ウェ'")


@pytest.mark.parametrize("shell", SHELLS)
def test_a_field_for_several_values_takes_each_word_as_an_argument(shell_in_tmux, shell):
    Entry.objects.create(
        tasks=["複数のファイルを一度に固める"],
        command="kbtar czf {{path/to/file1 path/to/file2 ...}}",
        origin="manual",
        language="ja",
    )
    pane = shell_in_tmux(shell, fzf=False)
    p = pane.prompt
    pane.type("複数のファイルを一度に固めたい")
    pane.keys("C-g")
    pane.wait_for("番号 (空欄で取り消し)")
    pane.type("1")
    pane.keys("Enter")
    pane.wait_for("path/to/file1 path/to/file2 ...")
    pane.type("a.txt  b.txt ログ.txt")
    pane.keys("Enter")
    pane.wait_line(f"{p}kbtar czf a.txt b.txt 'ログ.txt'")


@pytest.mark.parametrize("shell", SHELLS)
def test_kb_in_a_pipe_prints_text_and_fails_with_one_line(shell_in_tmux, shell, tmp_path):
    pane = shell_in_tmux(shell, fzf=False)
    out = tmp_path / f"{shell}.out"
    err = tmp_path / f"{shell}.err"
    status = "$status" if shell == "fish" else "$?"
    pane.type(f"kb ファイルの末尾の行を表示したい > {out}; echo rc={status}")
    pane.keys("Enter")
    pane.wait_for("rc=0")
    text = out.read_text()
    assert text.splitlines()[:3] == [
        " 1) tail -n <10> <path/to/file>",
        "    ファイルの末尾の行を表示する — ログの見方",
        f"    {pane_url(pane)}/notes/%E3%83%AD%E3%82%B0%E3%81%AE%E8%A6%8B%E6%96%B9/"
        "#%E3%83%AD%E3%82%B0%E3%82%92%E8%BF%BD%E3%81%86",
    ]
    pane.type(f"kb zzzqqq > {out} 2> {err}; echo rc={status}")
    pane.keys("Enter")
    pane.wait_for("rc=1")
    assert out.read_text() == ""
    assert err.read_text() == "kb: 「zzzqqq」に合うコマンドは見つかりませんでした\n"
    pane.type(f"kb -s Archives > {out}; echo rc={status}")
    pane.keys("Enter")
    pane.wait(lambda s: s.count("rc=0") == 2, what="the search")
    assert out.read_text() == f"Archives\n    {pane_url(pane)}/notes/archives/\n"


@pytest.mark.parametrize("shell", SHELLS)
def test_a_command_with_control_characters_is_shown_escaped_and_refused(shell_in_tmux, shell):
    Entry.objects.create(
        tasks=["画面を消して挨拶する"], command="printf hi\x1b[2J", origin=Entry.Origin.MANUAL
    )
    Entry.objects.create(tasks=["挨拶を二回する"], command="echo hi\nrm -rf ~", origin=Entry.Origin.MANUAL)
    pane = shell_in_tmux(shell, fzf=False)
    p = pane.prompt
    pane.type("挨拶")
    pane.keys("C-g")
    screen = pane.wait_for("番号 (空欄で取り消し)")
    assert "echo hi\\nrm -rf ~ [!]" in screen
    assert "printf hi\\x1b[2J [!]" in screen
    number = next(line for line in screen.splitlines() if "echo hi\\n" in line).split(")")[0].strip()
    pane.type(number)
    pane.keys("Enter")
    pane.wait_for("kb: 制御文字を含むコマンドなので使えません (echo hi\\nrm -rf ~)")
    pane.wait_line(f"{p}挨拶")


@pytest.mark.parametrize("shell", SHELLS)
def test_another_key_on_an_empty_line_asks_for_the_task(shell_in_tmux, shell):
    pane = shell_in_tmux(shell, fzf=False, env={"KB_KEY": "ctrl-o"})
    pane.keys("C-o")
    pane.wait_for("何をしたいですか: ")
    pane.type("ファイルの末尾の行を表示したい")
    pane.keys("Enter")
    pane.wait_for("番号 (空欄で取り消し)")
    pane.type("1")
    pane.keys("Enter")
    pane.wait_for("10 (Enter で 10)")
    pane.type("5")
    pane.keys("Enter")
    pane.wait_for("path/to/file (Enter で path/to/file)")
    pane.type("a.log")
    pane.keys("Enter")
    pane.wait_line(f"{pane.prompt}tail -n 5 a.log")
