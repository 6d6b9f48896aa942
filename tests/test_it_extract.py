from pathlib import Path

import markdown
from markdown.extensions.toc import slugify_unicode

from lookup.extract import extract

NOTE = (Path(__file__).parent / "fixtures" / "lookup" / "note.md").read_text()


def by_command(text: str, title: str = "") -> dict[str, object]:
    return {e.command: e for e in extract(text, title)}


def test_bare_command_in_a_sentence_gets_the_section_as_task():
    e = by_command(NOTE)["docker rm"]
    assert e.heading == "後片付け"
    assert "後片付け" in e.tasks and "跡形もなく削除できる" in e.tasks
    assert e.anchor == "後片付け"


def test_code_block_commands_use_comment_or_lead_sentence():
    entries = by_command(NOTE)
    assert entries["docker logs --tail 100 [コンテナ名]"].task == "最新100行だけ表示する"
    assert entries["docker logs -f <container_id>"].task == "ログを追いかけながら表示する"
    assert entries["docker ps --all"].tasks == ["Shell output"]  # console output lines skipped


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
    assert "使っていない層 一掃できる" in entries["docker system prune"].tasks
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


def test_anchors_match_python_markdown_toc():
    md = markdown.Markdown(
        extensions=["toc", "fenced_code"],
        extension_configs={"toc": {"slugify": slugify_unicode}},
    )
    md.convert(NOTE)

    def ids(tokens):
        for t in tokens:
            yield t["id"]
            yield from ids(t["children"])

    all_ids = set(ids(md.toc_tokens))
    for e in extract(NOTE):
        assert e.anchor in all_ids
    # the second "## Checks" is checks_1, as toc makes it
    assert by_command(NOTE)["docker version"].anchor == "checks_1"


def test_heading_with_markup_gets_toc_id():
    text = "## Use `docker ps` **now** (fast)\n\n`$ docker ps -q`\n"
    md = markdown.Markdown(extensions=["toc"], extension_configs={"toc": {"slugify": slugify_unicode}})
    md.convert(text)
    assert extract(text)[0].anchor == md.toc_tokens[0]["id"]


def test_title_is_the_task_before_any_heading():
    e = extract("```sh\nkubectl get pods -A\n```\n", title="Pods")[0]
    assert (e.task, e.anchor) == ("Pods", "")


def test_continuation_lines_and_multi_command_limit():
    text = "## Build\n\n```bash\ndocker build \\\n  -t app .\n```\n"
    assert extract(text)[0].command == "docker build \\\n-t app ."
    many = "## Many\n\n```sh\n" + "\n".join(f"echo {i} now" for i in range(9)) + "\n```\n"
    assert len(extract(many)) == 5
