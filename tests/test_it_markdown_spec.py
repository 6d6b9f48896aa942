"""CommonMark conformance: the spec's own examples, rendered as kb renders notes.

The examples are vendored in tests/fixtures/commonmark/ (CC BY-SA 4.0, see the
README there); the two raw-HTML sections are left out, as kb's sanitizer
rewrites raw HTML by design.
"""

import json
from pathlib import Path

import pytest

from notes.markdown import render
from tests.markdown_structure import structure

EXAMPLES = json.loads((Path(__file__).parent / "fixtures" / "commonmark" / "spec-0.31.2.json").read_text())


def _matches(example: dict) -> bool:
    return structure(render(example["markdown"]).html) == structure(example["html"])


def test_it_renders_the_spec_examples_with_their_structure():
    assert len(EXAMPLES) == 588
    failed = [e["example"] for e in EXAMPLES if not _matches(e)]
    passed = len(EXAMPLES) - len(failed)
    assert passed / len(EXAMPLES) >= 0.97, f"{passed}/{len(EXAMPLES)}; failing examples: {failed}"


@pytest.mark.parametrize("section", ["Lists", "List items", "Tabs", "Block quotes", "Fenced code blocks"])
def test_it_gets_every_list_and_block_example_right(section):
    # The shapes that notes written on GitHub depend on: nested and loose lists,
    # lists right after a paragraph, lists under numbered items.
    examples = [e for e in EXAMPLES if e["section"] == section]
    assert examples
    assert [e["example"] for e in examples if not _matches(e)] == []


def test_the_comparison_can_fail():
    assert structure("<ul><li>a</li></ul>") != structure("<p>- a</p>")
    assert structure("<p>a<br>b</p>") == structure("<p>a\nb</p>")
    assert structure('<h2 id="x">T<a class="headerlink" href="#x">#</a></h2>') == structure("<h2>T</h2>")


@pytest.mark.django_db
def test_the_note_page_serves_what_render_gives(client, make_note):
    for example in EXAMPLES[::60]:
        note = make_note(title=f"spec {example['example']}", body=example["markdown"])
        page = client.get(note.get_absolute_url()).content.decode()
        assert render(example["markdown"]).html in page
