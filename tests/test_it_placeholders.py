import signal
from contextlib import contextmanager

import pytest

from lookup.placeholders import command_words, fields, fill, parse, readable, shell_fill, shell_quote


def kinds(template: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in parse(template) if s.is_placeholder]


def test_tldr_fields_and_choices():
    t = 'git commit {{[-m|--message]}} "{{メッセージ}}"'
    assert kinds(t) == [("choice", "-m"), ("field", "メッセージ")]
    choice = parse(t)[1]
    assert choice.choices == ("-m", "--message")
    assert fill(t) == 'git commit -m "{{メッセージ}}"'
    assert fill(t, {"{{メッセージ}}": "fix typo", "{{[-m|--message]}}": "--message"}) == (
        'git commit --message "fix typo"'
    )


def test_navi_and_japanese_brackets():
    assert kinds("docker logs -f <container_id>") == [("field", "container_id")]
    assert kinds("docker rm [コンテナ名]") == [("field", "コンテナ名")]
    assert kinds("docker run <イメージ名>") == [("field", "イメージ名")]
    assert kinds("echo [backup-dir] [OUT_FILE]") == [
        ("field", "backup-dir"),
        ("field", "OUT_FILE"),
    ]
    assert kinds("docker volume inspect ボリューム名") == [("field", "ボリューム名")]


def test_shell_syntax_is_not_a_placeholder():
    for literal in [
        "sort < in.txt > out.txt",
        "cat <<EOF",
        "if [ -f x ]; then echo y; fi",
        "ls [a-z]*.log",
        "grep [abc] file",
        "cmd 2>&1 | tee log",
        "wc -l <<< text",
    ]:
        assert kinds(literal) == [], literal
        assert fill(literal) == literal


def test_repeated_placeholder_is_one_field():
    t = "cp {{file}} {{file}}.bak"
    assert [s.raw for s in fields(t)] == ["{{file}}"]
    assert fill(t, {"{{file}}": "a.txt"}) == "cp a.txt a.txt.bak"


def test_segments_round_trip_and_dicts():
    t = "tar xf {{path/to/source.tar[.gz|.bz2]}} {{[-C|--directory]}} {{path/to/dir}}"
    segs = parse(t)
    assert "".join(s.raw or s.text for s in segs) == t
    assert segs[1].as_dict() == {
        "kind": "field",
        "text": "path/to/source.tar[.gz|.bz2]",
        "raw": "{{path/to/source.tar[.gz|.bz2]}}",
        "choices": [],
        "quote": "",
    }


def test_command_words_keep_options_drop_labels():
    assert command_words('git commit {{[-a|--all]}} -m "{{msg}}"') == 'git commit -a --all -m " "'
    assert command_words("docker rm [コンテナ名]") == "docker rm"


def test_readable_form_for_people():
    t = "docker {{[logs|container logs]}} {{[-f|--follow]}} {{container}}"
    assert readable(t) == "docker logs -f <container>"
    # A "|" in a label would be a pipe in bash.
    assert readable("docker rm {{name|id}}") == "docker rm <name/id>"
    assert readable("docker rm [コンテナ名]") == "docker rm [コンテナ名]"
    assert readable("tar xf {{[-C|--directory]}} {{path/to/dir}}") == "tar xf -C <path/to/dir>"


def test_go_template_braces_are_text():
    t = "docker inspect --format '{{.State.ExitCode}}' {{container}}"
    assert kinds(t) == [("field", "container")]
    assert readable(t) == "docker inspect --format '{{.State.ExitCode}}' <container>"
    t = 'docker ps --format "table {{.ID}}\t{{.Names}}" {{[-a|--all]}}'
    assert kinds(t) == [("choice", "-a")]
    assert readable("docker inspect {{json .Config}} {{c}}") == "docker inspect {{json .Config}} <c>"
    # tldr's escaped braces read as plain braces.
    assert readable("docker inspect '\\{\\{.LogPath\\}\\}' {{c}}") == "docker inspect '{{.LogPath}}' <c>"
    # Fields that merely look like Go: a path "." or a field named json.
    assert kinds("ned {{pattern}} {{.}}") == [("field", "pattern"), ("field", ".")]
    assert kinds("jq {{json}}") == [("field", "json")]
    # A block's {{end}} and {{else}} are Go too; alone, {{end}} is a field like any other.
    t = "docker inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' {{c}}"
    assert kinds(t) == [("field", "c")]
    t = "docker inspect -f '{{if .State.Running}}up{{else}}down{{end}}' {{c}}"
    assert readable(t) == "docker inspect -f '{{if .State.Running}}up{{else}}down{{end}}' <c>"
    assert kinds("git log {{end}}") == [("field", "end")]


def test_placeholders_know_the_quotes_they_sit_in():
    t = "git commit -m \"{{message}}\" && echo '{{text}}' {{file}} \\'{{bare}}"
    assert [(s.text, s.quote) for s in parse(t) if s.is_placeholder] == [
        ("message", '"'),
        ("text", "'"),
        ("file", ""),
        ("bare", ""),
    ]


@pytest.mark.parametrize(
    ("value", "quote", "expected"),
    [
        ("app.log", "", "app.log"),
        ("my app.log", "", "'my app.log'"),
        ("x; rm -rf ~", "", "'x; rm -rf ~'"),
        ("it's", "", "'it'\\''s'"),
        ("$(id)", "", "'$(id)'"),
        ("ファイル.txt", "", "'ファイル.txt'"),
        ('say "hi" $HOME `id`', '"', 'say \\"hi\\" \\$HOME \\`id\\`'),
        ("it's", "'", "it'\\''s"),
        ("release!v2", '"', "release\"'!'\"v2"),  # history expansion works inside "…"
    ],
)
def test_shell_quote(value, quote, expected):
    assert shell_quote(value, quote) == expected


def test_shell_fill_keeps_each_value_one_word():
    t = "docker cp {{container}}:{{path}} {{dest}}"
    values = {"{{container}}": "web 1", "{{path}}": "/var/log/my app.log", "{{dest}}": "./out dir"}
    assert shell_fill(t, values) == "docker cp 'web 1':'/var/log/my app.log' './out dir'"
    t = 'git commit {{[-m|--message]}} "{{msg}}"'
    assert shell_fill(t, {"{{msg}}": 'a "b"'}) == 'git commit -m "a \\"b\\""'
    with pytest.raises(ValueError, match="name|id"):
        shell_fill("docker rm {{name|id}}", {})


@contextmanager
def _deadline(seconds: int):
    """Fail instead of hanging if parsing ever goes quadratic again."""

    def expire(*_):
        raise TimeoutError("placeholder parsing did not finish")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize(
    "hostile",
    ["{{" * 50000, "{{a" * 50000, "{{" + "\\{" * 50000, "<a" * 50000, "[a_b" * 30000, "{{[a|" * 30000],
)
def test_hostile_templates_parse_in_one_pass(hostile):
    # Before: "{{" * 50000 took over 30 s and gunicorn killed the worker.
    with _deadline(10):
        segments = parse(hostile)
        readable(hostile)
        command_words(hostile)
    assert not any(s.is_placeholder for s in segments)  # none of them is closed


def test_overlong_placeholders_are_text():
    assert kinds("echo {{" + "a" * 500 + "}}") == []
    assert kinds("echo {{" + "a" * 150 + "}}") == [("field", "a" * 150)]


def test_a_field_for_several_values_takes_each_word_as_an_argument():
    t = "tar czf {{archive.tar.gz}} {{path/to/file1 path/to/file2 ...}}"
    values = {"{{archive.tar.gz}}": "out.tgz", "{{path/to/file1 path/to/file2 ...}}": "a.txt  b.txt ログ.txt"}
    assert shell_fill(t, values) == "tar czf out.tgz a.txt b.txt 'ログ.txt'"
    # In quotes it stays one word, as written.
    assert shell_fill('echo "{{text1 text2 ...}}"', {"{{text1 text2 ...}}": "a b"}) == 'echo "a b"'
