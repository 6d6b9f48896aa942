import re
from html.parser import HTMLParser

import pytest

from notes.markdown import render

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    "<svg onload=alert(1)><circle/></svg>",
    '<iframe src="https://example.com"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onmouseover="alert(1)">hover</p>',
    "![x](javascript:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<form action="/admin/"><input type="submit"></form>',
    "<object data=x></object><embed src=x>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def assert_harmless(html: str) -> None:
    """No dangerous element or attribute survives; a payload shown as text is fine."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in {"script", "iframe", "object", "embed", "form", "style", "svg", "math", "textarea"}
        for name, value in attrs:
            assert not name.startswith("on") and name != "style", (tag, name)
            value = (value or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, name, value)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_it_neutralises_xss(payload):
    html = render(f"before\n\n{payload}\n\nafter").html
    assert_harmless(html)
    assert "<script" not in html.lower()
    assert "before" in html


def test_it_highlights_code_with_pygments():
    html = render("```python\ndef f():\n    return 1\n```\n").html
    assert 'class="language-python highlight"' in html
    assert '<span class="k">def</span>' in html


def test_it_keeps_code_text_exact():
    html = render("```sh\ndocker run -p 8080:80 --mount type=bind,src=/a,dst=/b nginx\n```").html
    text = re.sub(r"<[^>]+>", "", html)
    assert "docker run -p 8080:80 --mount type=bind,src=/a,dst=/b nginx" in text


def test_it_gives_headings_unicode_anchors_and_a_toc():
    rendered = render("## コンテナの破棄\n\ntext\n\n### 詳細\n\nmore\n")
    assert 'id="コンテナの破棄"' in rendered.html
    assert 'href="#コンテナの破棄"' in rendered.toc
    assert 'href="#詳細"' in rendered.toc


def test_it_has_no_toc_without_headings():
    assert render("just text").toc == ""


def test_it_renders_tables_tasklists_and_line_breaks():
    html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n一行目\n二行目").html
    assert "<table>" in html and "<td>1</td>" in html
    assert 'type="checkbox"' in html and "checked" in html
    assert "一行目<br>" in html


def test_it_escapes_html_inside_code():
    html = render("`<script>alert(1)</script>`").html
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_it_survives_pathological_input():
    body = "[" * 5000 + "*" * 5000 + "`" * 3000 + "\t\x0b\x0c"
    rendered = render(body)
    assert isinstance(rendered.html, str)


def test_it_shows_a_repeated_title_once():
    assert "<h1" not in render("# docker\n\n> Manage containers\n", title="docker").html
    assert "<h1" in render("# something else\n\ntext", title="docker").html
