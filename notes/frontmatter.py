"""YAML front matter: parse on import, write on export.

The exporter and the parser are written together so that export → import →
export gives byte-identical files.
"""

from __future__ import annotations

import yaml


class FrontMatterError(ValueError):
    pass


FENCE = "---"


def split(text: str) -> tuple[dict | None, str]:
    """Return (metadata or None, body). The body is everything after the closing fence."""
    if not text.startswith(FENCE + "\n"):
        return None, text
    end = text.find("\n" + FENCE + "\n", len(FENCE))
    if end == -1:
        if text.endswith("\n" + FENCE) or text.rstrip("\n").endswith("\n" + FENCE):
            end = text.rfind("\n" + FENCE)
            head, body = text[len(FENCE) + 1 : end], ""
        else:
            raise FrontMatterError("front matter is not closed by a '---' line")
    else:
        head, body = text[len(FENCE) + 1 : end], text[end + len(FENCE) + 2 :]
    try:
        meta = yaml.safe_load(head) if head.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterError(f"front matter is not valid YAML{where}: {problem}") from exc
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter must be a mapping of keys (title, slug, tags)")
    return meta, body


def tags_from(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        raise FrontMatterError("tags must be a list or a comma-separated string")
    tags = [str(item).strip() for item in items if item is not None and str(item).strip()]
    for tag in tags:
        if len(tag) > 100:
            raise FrontMatterError(f"tag is longer than 100 characters: {tag[:30]}…")
    return tags


def dump(title: str, slug: str, tags: list[str], body: str) -> str:
    meta = {"title": title, "slug": slug, "tags": sorted(tags, key=str.lower)}
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"{FENCE}\n{head}{FENCE}\n{body}"
