"""YAML front matter: parse on import, write on export.

The exporter and the parser are written together so that export → import →
export gives byte-identical files.
"""

from __future__ import annotations

import re
import unicodedata

import yaml

from notes.controls import control_character


class FrontMatterError(ValueError):
    pass


FENCE = "---"
# Same limits as the note form (notes/forms.py): taggit's columns hold 100 characters.
MAX_TAG_CHARS = 100
MAX_TAGS = 50
# Front matter holds a title, a slug and some tags: a few hundred bytes.
MAX_FRONT_MATTER_CHARS = 64 * 1024
# Longest error message built from file content ("…" marks the cut).
MAX_MESSAGE_CHARS = 200


def cut(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (``*name``).

    Aliases let a few hundred bytes expand into billions of nodes (the
    "billion laughs" file); front matter has no use for them.
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in front matter", event.start_mark
            )
        return super().compose_node(parent, index)


def _split_raw(text: str) -> tuple[str | None, str]:
    """(the front matter's text or None, body)."""
    if not text.startswith(FENCE + "\n"):
        return None, text
    end = text.find("\n" + FENCE + "\n", len(FENCE))
    if end == -1:
        if text.endswith("\n" + FENCE) or text.rstrip("\n").endswith("\n" + FENCE):
            end = text.rfind("\n" + FENCE)
            return text[len(FENCE) + 1 : end], ""
        raise FrontMatterError("front matter is not closed by a '---' line")
    return text[len(FENCE) + 1 : end], text[end + len(FENCE) + 2 :]


def split(text: str) -> tuple[dict | None, str]:
    """Return (metadata or None, body). The body is everything after the closing fence."""
    head, body = _split_raw(text)
    if head is None:
        return None, body
    if len(head) > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterError(f"front matter is longer than {MAX_FRONT_MATTER_CHARS} characters")
    try:
        meta = yaml.load(head, Loader=NoAliasLoader) if head.strip() else {}  # noqa: S506 - safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterError(cut(f"front matter is not valid YAML{where}: {problem}")) from exc
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter must be a mapping of keys (title, slug, tags)")
    return meta, body


# The commas a Japanese IME types, full-width (，) and ideographic (、), separate tags too.
IME_COMMAS = str.maketrans({"，": ",", "、": ","})


def tag_name(text: str) -> str:
    """A tag as kb stores it: NFKC, so ＤＯＣＫＥＲ typed with an IME is the docker tag
    (tags already match without regard to case: TAGGIT_CASE_INSENSITIVE), and without the
    hash of a hashtag: #docker is docker, not a second tag beside it (slug docker_1)."""
    return unicodedata.normalize("NFKC", text).strip().lstrip("#").strip()


def tag_names(text: str) -> list[str]:
    """The tags in one item as typed: hashtags separated by spaces are several.

    "#docker #compose" (or ＃ｄｏｃｋｅｒ　＃compose, with an IME's full-width space) in the
    form or in front matter is two tags; "kb deploy" stays one.
    """
    words = unicodedata.normalize("NFKC", text).split()
    if len(words) > 1 and all(w.startswith("#") for w in words):
        return [tag_name(w) for w in words]
    return [tag_name(text)]


def distinct_tags(tags: list[str]) -> list[str]:
    """Each tag once, first spelling kept, compared as kb compares them."""
    seen: dict[str, str] = {}
    for tag in (name for item in tags for name in tag_names(item)):
        if tag:
            seen.setdefault(tag.lower(), tag)
    return list(seen.values())


def tags_from(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        items = value.translate(IME_COMMAS).split(",")
    elif isinstance(value, list):
        items = value
    else:
        raise FrontMatterError("tags must be a list or a comma-separated string")
    if len(items) > MAX_TAGS:
        raise FrontMatterError(f"more than {MAX_TAGS} tags")
    tags = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, (dict, list)):
            raise FrontMatterError(cut(f"a tag must be a word, not {type(item).__name__}: {item!r}"))
        for tag in tag_names(str(item)):
            if len(tag) > MAX_TAG_CHARS:
                raise FrontMatterError(f"tag is longer than {MAX_TAG_CHARS} characters: {tag[:30]}…")
            if char := control_character(tag):
                raise FrontMatterError(
                    cut(f"the tag {tag!r} contains a control character ({char}); remove it")
                )
            if tag:
                tags.append(tag)
    return distinct_tags(tags)


# The keys kb reads; any others are kept as they are (Note.front_matter).
KB_KEYS = frozenset({"title", "slug", "tags"})


def dump_extra(meta: dict) -> str:
    """YAML for the keys kb does not read, in their order ('' when there are none)."""
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) if meta else ""


# A top-level key of a block mapping: `author:`, `"odd key":`, `date: 2024-01-02`.
_TOP_KEY_RE = re.compile(r"""^(?:"([^"]*)"|'([^']*)'|([^\s#'"{}\[\]\-?:][^:]*?|-[^\s:][^:]*?))\s*:(?:\s|$)""")


def _comment_of(line: str) -> str | None:
    """The comment ending a YAML line (`title: 手順  # the owner's name`), as a line of its own.

    A ` #` inside a quoted value is no comment: the line without it must mean the same.
    """
    at = line.find(" #")
    while at >= 0:
        try:
            if yaml.safe_load(line[:at]) == yaml.safe_load(line):
                return line[at:].strip()
        except yaml.YAMLError:
            pass
        at = line.find(" #", at + 1)
    return None


def _comments(lines: list[str]) -> list[str]:
    """The comments in the lines of a key kb writes itself: they stay in the file."""
    out = []
    for line in lines:
        if line.lstrip().startswith("#"):
            out.append(line.strip())
        elif (comment := _comment_of(line.strip().removeprefix("- "))) is not None:
            out.append(comment)
    return out


def extra_source(text: str, meta: dict) -> str:
    """The keys kb does not read, as the file wrote them: `yes`, `~`, `0755`, comments and
    dates come back on export exactly, where dumping the parsed values would rewrite them.
    Falls back to dump_extra when the front matter is not one key per line (flow style).

    kb writes `title`, `slug` and `tags` itself, first; comments on their lines or above
    them are kept too, as comment lines in the same order among the other keys."""
    head, _ = _split_raw(text)
    head = (head or "") + "\n"  # the line break before the closing fence ends the last value
    try:
        # As the whole file means them: a `|` block that is the last key keeps its final
        # line break here, which the front matter alone (split) cuts.
        extra = {k: v for k, v in yaml.load(head, Loader=NoAliasLoader).items() if k not in KB_KEYS}  # noqa: S506
    except (yaml.YAMLError, AttributeError):
        extra = {k: v for k, v in meta.items() if k not in KB_KEYS}
    blocks: list[tuple[str | None, list[str]]] = []
    pending: list[str] = []  # comments and blank lines: they go with the key below them
    for line in head.split("\n"):
        m = _TOP_KEY_RE.match(line)
        if m:
            blocks.append((next(g for g in m.groups() if g is not None), pending + [line]))
            pending = []
        elif blocks and line[:1] not in ("", "#"):
            # A value's own lines (indented, or `- item`), with the blank lines inside a
            # `|` block before them.
            blocks[-1][1].extend(pending + [line])
            pending = []
        else:
            pending.append(line)
    if not blocks:
        return dump_extra(extra) if extra else ""
    blocks[-1][1].extend(pending)
    kept = "\n".join(
        line for key, lines in blocks for line in (lines if key not in KB_KEYS else _comments(lines))
    ).strip("\n")
    source = kept + "\n" if kept else ""
    try:
        same = (yaml.load(source, Loader=NoAliasLoader) or {}) == extra  # noqa: S506 - safe loader
    except yaml.YAMLError:
        same = False
    return source if same else dump_extra(extra)


def dump(title: str, slug: str, tags: list[str], body: str, extra: str = "") -> str:
    meta = {"title": title, "slug": slug, "tags": sorted(tags, key=str.lower)}
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"{FENCE}\n{head}{extra}{FENCE}\n{body}"
