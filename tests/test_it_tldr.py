from pathlib import Path

from lookup.tldr import iter_pages, parse_page

FIXTURES = Path(__file__).parent / "fixtures" / "lookup" / "tldr"


def test_parse_page():
    page = parse_page((FIXTURES / "pages" / "common" / "kbtool.md").read_text())
    assert page.name == "kbtool"
    assert page.description == "Made-up tool used by kb's tests."
    assert page.url == "https://example.com/kbtool"
    assert [(e.task, e.command) for e in page.examples] == [
        ("List all widgets", "kbtool list {{[-a|--all]}}"),
        ("Remove a widget by name", "kbtool remove {{widget_name}}"),
        ("Show the version", "kbtool --version"),
    ]


def test_parse_japanese_page_and_alias():
    ja = parse_page((FIXTURES / "pages.ja" / "common" / "kbtool.md").read_text())
    assert ja.url == "https://example.com/kbtool"
    assert ja.examples[1].task == "名前を指定してウィジェットを削除する"
    alias = parse_page((FIXTURES / "pages" / "common" / "kbtool-rm.md").read_text())
    assert alias.alias_of == "kbtool remove"


def test_parse_tolerates_crlf_and_missing_blank_lines():
    page = parse_page("# x\r\n> Does x.\r\n- Run it:\r\n`x run`\r\n- Orphan task:\r\n")
    assert [(e.task, e.command) for e in page.examples] == [("Run it", "x run")]


def test_iter_pages_languages_and_platforms():
    found = {(p.name, lang, platform) for p, lang, platform in iter_pages(FIXTURES)}
    assert found == {
        ("kbtool.md", "en", "common"),
        ("kbtool-rm.md", "en", "common"),
        ("kbtool-sync.md", "en", "linux"),
        ("kbtool.md", "ja", "common"),
    }
    only_ja = {lang for _, lang, _ in iter_pages(FIXTURES / "pages.ja")}
    assert only_ja == {"ja"}


def test_summary_is_the_first_sentence():
    from lookup.tldr import summary

    assert summary("Archiving utility. Often combined with gzip.") == "Archiving utility."
    assert (
        summary("リポジトリにファイルをコミットします。詳細は下へ。")
        == "リポジトリにファイルをコミットします。"
    )
    assert summary("Version 1.2 of the tool") == "Version 1.2 of the tool"
