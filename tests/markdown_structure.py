"""Compare two HTML fragments by structure: tags and text, nothing else.

Left out on purpose, as a wiki differs from the reference renderer there by
design: attributes (ids, classes, rel), Pygments' wrappers and token spans,
heading permalinks, ``<br>`` versus a line break, and whitespace.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = {"br", "hr", "img", "input"}


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str]] = []
        self.text: list[str] = []
        # Tags we skip (with the matching end tag), and whether we are inside
        # a heading permalink whose "#" text is skipped too.
        self.skipping: list[bool] = []
        self.in_permalink = 0
        self.in_pre = 0

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.text)).strip()
        if text:
            self.events.append(("text", text))
        self.text = []

    def _skip(self, tag: str, attrs: dict[str, str | None]) -> bool:
        classes = (attrs.get("class") or "").split()
        if tag == "div" and "highlight" in classes:
            return True
        return tag == "span" and self.in_pre > 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "br":
            self.text.append("\n")
            return
        # kb's own anchors: the permalink and a heading's id from before GitHub's scheme.
        if tag == "a" and {"headerlink", "legacy-anchor"} & set((attrs.get("class") or "").split()):
            self.in_permalink += 1
            self.skipping.append(True)
            return
        if tag in VOID:
            self._flush()
            self.events.append(("tag", tag))
            return
        skip = self._skip(tag, attrs)
        self.skipping.append(skip)
        if tag == "pre":
            self.in_pre += 1
        if not skip:
            self._flush()
            self.events.append(("start", tag))

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.text.append("\n")
        else:
            self._flush()
            self.events.append(("tag", tag))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        skip = self.skipping.pop() if self.skipping else False
        if tag == "a" and self.in_permalink and skip:
            self.in_permalink -= 1
            return
        if tag == "pre":
            self.in_pre -= 1
        if not skip:
            self._flush()
            self.events.append(("end", tag))

    def handle_data(self, data):
        if not self.in_permalink:
            self.text.append(data)

    def close(self):
        super().close()
        self._flush()


def structure(fragment: str) -> list[tuple[str, str]]:
    parser = _Structure()
    parser.feed(fragment)
    parser.close()
    return parser.events
