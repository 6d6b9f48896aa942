from lookup.placeholders import command_words, fields, fill, parse


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
    }


def test_command_words_keep_options_drop_labels():
    assert command_words('git commit {{[-a|--all]}} -m "{{msg}}"') == 'git commit -a --all -m " "'
    assert command_words("docker rm [コンテナ名]") == "docker rm"
