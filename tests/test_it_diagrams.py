"""```mermaid fences drawn in a real browser, under the site's CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""

BODY = """## Flow

```mermaid
graph TD
  A[Start] --> B{Ready?}
  B -->|yes| C[Ship it]
```

## Talk

```mermaid
sequenceDiagram
  Alice->>Bob: Hello
```

## Broken

```mermaid
graph TD
  A -->
```
"""


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.add_init_script(WATCH_CSP)
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("dialog", lambda d: (problems.append("dialog " + d.message), d.dismiss()))
    return problems


def test_it_draws_diagrams_with_no_csp_violation(page, make_note):
    note = make_note(title="図", body=BODY)
    problems = _watch(page)
    page.goto(note.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("data-diagrams", "done", timeout=30_000)
    drawn = page.locator(".mermaid-diagram.drawn .mermaid-svg svg")
    expect(drawn).to_have_count(2)
    assert "Ship it" in drawn.first.text_content()
    assert drawn.first.bounding_box()["height"] > 50
    assert not page.locator(".mermaid-diagram.drawn .mermaid-source").first.is_visible()
    broken = page.locator(".mermaid-diagram.failed")
    expect(broken.locator(".mermaid-error")).to_contain_text("Parse error")
    expect(broken.locator(".mermaid-source")).to_be_visible()
    # mermaid's own error picture is not left in the page.
    assert page.locator("body > div[id^=dkb-diagram]").count() == 0
    assert page.evaluate("window.__csp") == [] and problems == []


def test_diagram_sources_carry_no_script(page, make_note):
    body = (
        "```mermaid\ngraph TD\n"
        '  A["<img src=x onerror=alert(1)>"] --> B["<script>alert(2)</script>"]\n'
        "  click A call alert(3)\n"
        '  click B "javascript:alert(4)"\n```\n'
    )
    note = make_note(title="悪い図", body=body)
    problems = _watch(page)
    page.goto(note.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("data-diagrams", "done", timeout=30_000)
    page.locator(".mermaid-diagram").first.click()
    for node in page.locator(".mermaid-svg .node").all():
        node.click()
    assert page.locator(".note-body img, .note-body script").count() == 0
    assert page.evaluate("window.__csp") == [] and problems == []


def test_pages_without_diagrams_do_not_load_mermaid(page, make_note):
    note = make_note(title="図なし", body="```sh\nls\n```\n")
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto(note.get_absolute_url())
    assert scripts and not any("mermaid" in url or "diagrams.js" in url for url in scripts)


def test_without_javascript_the_source_shows(browser, live_server, make_note):
    note = make_note(title="図", body=BODY)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(note.get_absolute_url())
    expect(page.locator(".mermaid-source").first).to_be_visible()
    expect(page.locator(".mermaid-source").first).to_contain_text("A[Start] --> B{Ready?}")
    assert page.locator(".mermaid-svg").count() == 0
    context.close()
