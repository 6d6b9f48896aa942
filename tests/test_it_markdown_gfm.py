"""Notes render as GitHub renders them: list shapes, GFM extensions, callouts,
diagrams' fallback, wiki links, and rendering that stays bounded."""

import re

import pytest

from notes.markdown import render
from tests.markdown_structure import structure


def test_it_renders_the_list_shapes_github_renders(fixtures_dir):
    html = render((fixtures_dir / "markdown" / "lists.md").read_text()).html
    assert structure(html) == structure(
        "<h2>Two-space nesting</h2>"
        "<ul><li>tools<ul><li>compose</li><li>buildx</li></ul></li><li>images</li></ul>"
        "<h2>A list under a numbered step</h2>"
        "<ol><li>Prepare the host<ul><li>install the engine</li><li>add your user to the group</li></ul></li>"
        "<li>Start the service</li></ol>"
        "<h2>A list right after a paragraph</h2>"
        "<p>Steps to check the base image:</p>"
        "<ol><li>Read the framework's requirements.</li><li>Pick the newest stable runtime.</li>"
        "<li>Find the matching image tag.</li></ol>"
    )


def test_it_renders_gfm_tables_strikethrough_and_task_lists():
    html = render("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n~~old~~ ~gone~\n\n- [x] done\n- [ ] todo\n").html
    assert "<table>" in html and "<th" in html and "<td" in html and ">2</td>" in html
    assert "<s>old</s>" in html and "<s>gone</s>" in html
    assert html.count('type="checkbox"') == 2 and html.count("checked") == 1
    assert 'class="task-list-item"' in html


def test_it_links_bare_urls_and_www():
    html = render("see https://example.com/a_(b) or www.example.org.").html
    assert '<a href="https://example.com/a_(b)"' in html
    assert '<a href="http://www.example.org"' in html
    assert "www.example.org</a>." in html


def test_it_renders_footnotes():
    html = render("Claim.[^1]\n\n[^1]: The source.\n").html
    assert 'href="#fn1"' in html and 'id="fn1"' in html and "The source." in html


def test_it_keeps_line_breaks_as_written():
    assert "一行目<br>\n二行目" in render("一行目\n二行目").html


@pytest.mark.parametrize("kind", ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"])
def test_it_renders_callouts(kind):
    html = render(f"> [!{kind}]\n> Mind the **gap**.\n").html
    assert f'class="markdown-alert markdown-alert-{kind.lower()}"' in html
    assert '<p class="markdown-alert-title">' in html and "<strong>gap</strong>" in html
    assert "[!" not in html and "<blockquote>" not in html


def test_an_unknown_callout_stays_a_quote():
    html = render("> [!SHOUT]\n> hey\n").html
    assert "<blockquote>" in html and "markdown-alert" not in html


def test_mermaid_fences_become_diagram_sources():
    rendered = render("```mermaid\ngraph TD\n  A-->B\n```\n")
    assert rendered.diagrams
    assert '<div class="mermaid-diagram"><pre class="mermaid-source">' in rendered.html
    assert "A--&gt;B" in rendered.html
    assert not render("```python\nx = 1\n```\n").diagrams


def test_wiki_links_point_at_the_resolver():
    html = render("See [[Docker basics]], [[compose-tips|the tips]] and [[Docker basics#Run it]].").html
    assert '<a class="wikilink" href="/wiki/Docker%20basics/"' in html
    assert '<a class="wikilink" href="/wiki/compose-tips/"' in html and ">the tips</a>" in html
    assert 'href="/wiki/Docker%20basics/#run-it"' in html


def test_wiki_links_stay_text_in_code_and_defer_to_reference_links():
    html = render("`[[not a link]]`\n\n```\n[[nor this]]\n```\n").html
    assert "wikilink" not in html
    html = render("[[ref]]\n\n[ref]: https://example.com\n").html
    assert 'href="https://example.com"' in html


def test_heading_ids_are_unique_and_the_toc_nests():
    rendered = render("## Setup\n\n### Linux\n\n## Setup\n\n#### Deep\n")
    assert re.findall(r'<h\d id="([^"]+)"', rendered.html) == ["setup", "linux", "setup-1", "deep"]
    assert structure(rendered.toc) == structure(
        "<ul><li><a>Setup</a><ul><li><a>Linux</a></li></ul></li>"
        "<li><a>Setup</a><ul><li><a>Deep</a></li></ul></li></ul>"
    )


PATHOLOGICAL = {
    "brackets": "[" * 4000 + "]" * 4000,
    "wiki brackets": "[[" * 4000,
    "backticks": "".join("`" * i + "a" for i in range(1, 200)),
    "images": "![" * 4000,
    "links": "[a](" * 4000,
    "autolinks": "<http://a" * 2000,
    "quotes": "\n".join(">" * i + " a" for i in range(1, 300)),
    "lists": "\n".join("  " * i + "- a" for i in range(300)),
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_inputs_render(name):
    # How long they take is in BENCHMARKS.md; here: they render, as Markdown.
    rendered = render(PATHOLOGICAL[name])
    assert "render-notice" not in rendered.html


def test_a_body_over_the_size_cap_is_shown_as_text(settings):
    settings.KB_MAX_MARKDOWN_CHARS = 100
    html = render("# big\n\n" + "**bold** " * 20).html
    assert 'class="render-notice"' in html and "<strong>" not in html and "**bold**" in html


def test_a_body_over_the_time_budget_is_shown_as_text(settings):
    settings.KB_RENDER_BUDGET_SECONDS = 0.0
    html = render("[" * 3000 + "<script>x</script>").html
    assert 'class="render-notice"' in html and "[[[" in html and "<script" not in html


def test_a_toc_marker_shows_the_contents_in_place():
    html = render("[TOC]\n\n## One\n\n### Two\n\ntext [TOC] inline\n").html
    assert html.startswith('<div class="toc">') and 'href="#one"' in html and 'href="#two"' in html
    assert "text [TOC] inline" in html


def _cpu(body: str) -> float:
    import time

    started = time.thread_time()
    render(body)
    return time.thread_time() - started


@pytest.mark.parametrize("name", ["brackets", "wiki brackets", "images", "links", "autolinks"])
def test_hostile_inputs_take_linear_time(name, settings):
    # CPU time of 4x the input: about 4x if linear, 16x if quadratic. Absolute
    # figures are in BENCHMARKS.md; this only catches a change of shape.
    settings.KB_RENDER_BUDGET_SECONDS = 60
    grow = {
        "brackets": lambda n: "[" * n + "]" * n,
        "wiki brackets": lambda n: "[[" * n,
        "images": lambda n: "![" * n,
        "links": lambda n: "[a](" * (n // 2),
        "autolinks": lambda n: "<http://a" * (n // 4),
    }[name]
    _cpu(grow(500))  # warm up
    small = min(_cpu(grow(1500)) for _ in range(2))
    large = min(_cpu(grow(6000)) for _ in range(2))
    assert large / small < 9, f"{name}: {small * 1000:.0f} ms -> {large * 1000:.0f} ms"


def test_heading_ids_follow_github_and_keep_the_old_ids_as_anchors():
    html = render("## a - b & c\n\n## 手順（1）\n\n## 手順（1）\n").html
    assert re.findall(r'<h2 id="([^"]+)"', html) == ["a---b--c", "手順1", "手順1-1"]
    # Links saved with kb's earlier ids (bookmarks, lookup entries) still have a target.
    assert 'id="a-b-c"' in html and 'id="手順1_1"' in html


def test_table_columns_keep_their_alignment():
    html = render("| a | b | c |\n|:-|:-:|--:|\n| 1 | 2 | 3 |\n").html
    assert re.findall(r'<td align="(\w+)">', html) == ["left", "center", "right"]
    assert "style" not in html


def test_raw_html_keeps_what_github_keeps_of_a_readme():
    html = render(
        '<p align="center"><img src="/media/logo.png" alt="logo" align="right"></p>\n\n'
        '<a name="install"></a>\n\n[Install](#install)\n\n'
        "<details open><summary>More</summary>\n\ntext\n</details>\n\n"
        '<picture><source media="(prefers-color-scheme: dark)" srcset="/media/dark.png">'
        '<img src="/media/light.png" alt="x"></picture>\n'
    ).html
    assert '<p align="center">' in html and 'align="right"' in html
    assert '<a name="install"' in html
    assert "<details open" in html
    assert '<source media="(prefers-color-scheme: dark)" srcset="/media/dark.png">' in html


def test_a_raw_input_is_never_one_a_reader_can_type_into():
    html = render('<input> <input type="text" value="x" name="q"> <input type="checkbox" checked>\n').html
    assert html.count('disabled="disabled"') == 3
    # Every one is a checkbox: a disabled text box is still drawn as one.
    assert html.count('type="checkbox"') == 3
    assert 'type="text"' not in html and 'value="x"' not in html and "name=" not in html
    assert '<input type="checkbox" checked="" disabled="disabled">' in html
