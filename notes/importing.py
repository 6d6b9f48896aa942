"""Import Markdown files as notes.

A file with front matter becomes one note. With ``split=True`` a long file
becomes one note per ``##`` section, and its ``#`` title becomes a tag. Each
file is imported in its own transaction: a bad file is reported and skipped,
the others still import, and re-importing updates notes instead of copying.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.db import transaction
from django.db.models import F, Func
from django.db.models.functions import Lower

from notes import frontmatter, media
from notes.controls import control_character, one_line
from notes.models import Note
from notes.slugs import RESERVED

FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
IMAGE_RE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# ... and the HTML form, which a sized Obsidian embed becomes (_embeds_to_links).
IMG_TAG_RE = re.compile(r"<img\s+src=\"([^\"<>\s]+)\"")
SEPARATOR_RE = re.compile(r"(?:\n\s*(?:-{3,}|\*{3,}|_{3,})\s*)+\s*$")


class BadFile(Exception):
    """A file that cannot be imported; the message says why."""


@dataclass
class ParsedNote:
    title: str
    body: str
    tags: list[str]
    slug: str | None = None
    import_key: str | None = None
    # Front matter keys kb has no use for (author, date, aliases …), kept as YAML so that
    # an export gives them back.
    front_matter: str = ""
    source: str = ""  # the file (and section) it came from, for the revision summary


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from exc
    nul = text.find("\x00")
    if nul != -1:
        line = text.count("\n", 0, nul) + 1
        raise BadFile(f"contains a NUL byte (line {line}); PostgreSQL cannot store it")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _outside_code(lines: list[str]):
    """Yield (index, line, in_code) so headings inside fenced code are ignored."""
    fence: str | None = None
    for i, line in enumerate(lines):
        m = FENCE_RE.match(line)
        if m:
            mark = m.group(1)
            if fence is None:
                fence = mark[0] * len(mark)
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
            yield i, line, True
            continue
        yield i, line, fence is not None


def _clean_section(lines: list[str]) -> str:
    body = "\n".join(lines).strip("\n")
    # The separators users put between sections belong to the file, not the note.
    body = SEPARATOR_RE.sub("", "\n" + body).lstrip("\n")
    return body.strip("\n") + "\n" if body.strip() else ""


def split_sections(text: str, key: str) -> list[ParsedNote]:
    lines = text.split("\n")
    file_title: str | None = None
    sections: list[tuple[str, list[str]]] = []
    preamble: list[str] = []
    for _, line, in_code in _outside_code(lines):
        if not in_code and file_title is None and not sections and re.match(r"^#\s+\S", line):
            file_title = line[1:].strip()
            continue
        if not in_code and re.match(r"^##\s+\S", line) and not line.startswith("###"):
            sections.append((line[2:].strip().rstrip("#").strip(), []))
            continue
        (sections[-1][1] if sections else preamble).append(line)

    tags = [file_title] if file_title else []
    notes: list[ParsedNote] = []
    if _clean_section(preamble):
        notes.append(
            ParsedNote(file_title or Path(key).stem, _clean_section(preamble), tags, None, key, source=key)
        )
    seen: dict[str, int] = {}
    for title, body_lines in sections:
        n = seen[title] = seen.get(title, 0) + 1
        section_key = f"{key}#{title}" + (f"#{n}" if n > 1 else "")
        notes.append(
            ParsedNote(
                title[:200],
                _clean_section(body_lines),
                list(tags),
                None,
                section_key[:300],
                source=section_key,
            )
        )
    return notes


def parse_file(text: str, key: str, fallback_title: str) -> ParsedNote:
    try:
        meta, body = frontmatter.split(text)
    except frontmatter.FrontMatterError as exc:
        raise BadFile(str(exc)) from exc
    meta = meta or {}
    try:
        tags = frontmatter.tags_from(meta.get("tags"))
    except frontmatter.FrontMatterError as exc:
        raise BadFile(str(exc)) from exc
    title = meta.get("title")
    if title is None:
        m = re.search(r"^#\s+(.+)$", body, re.M)
        title = m.group(1).strip() if m else fallback_title
    if isinstance(title, (dict, list)):
        raise BadFile(frontmatter.cut(f"the title must be text, not {type(title).__name__}"))
    title = one_line(str(title))
    if not title:
        raise BadFile("the title is empty")
    if len(title) > 200:
        raise BadFile("the title is longer than 200 characters")
    if char := control_character(title):
        raise BadFile(f"the title contains a control character ({char}), which cannot be shown; remove it")
    slug = meta.get("slug")
    if slug is not None:
        slug = str(slug).strip()
        if not re.fullmatch(r"[\w-]{1,140}", slug):
            raise BadFile(frontmatter.cut(f"slug {slug!r} may only hold letters, digits, '-' and '_'"))
        if slug in RESERVED:
            raise BadFile(f"slug {slug!r} is taken by a page of its own (/notes/{slug}/); choose another")
    return ParsedNote(
        title,
        body,
        tags,
        slug,
        None if slug else key,
        front_matter=frontmatter.extra_source(text, meta),
        source=key,
    )


IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


def _is_image(path: Path) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


# Obsidian's embeds: ![[Pasted image 1.png]], or with a size: ![[diagram.png|300]], ![[a.png|300x200]].
EMBED_RE = re.compile(r"!\[\[([^\]|#]+?)(?:\|([^\]]*))?\]\]")
EMBED_SIZE_RE = re.compile(r"\s*(\d{1,5})(?:\s*x\s*(\d{1,5}))?\s*")
# Links that a kb export wrote (notes.exporting): restored to the same media path.
EXPORTED_MEDIA_RE = re.compile(r"^media/((?:uploads|imported)/[^/][^?#]*)$")


def _link_path(path: str) -> str:
    # Only what would end a Markdown link target is escaped; Japanese names stay readable.
    return path.replace("%", "%25").replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _embeds_to_links(note: ParsedNote, source: Path, root: Path) -> None:
    """Turn Obsidian image embeds into Markdown images, found by file name under the vault.

    A size (|300 or |300x200) has no Markdown form: that embed becomes an <img> with its
    width and height, as GitHub renders it too, and _copy_images copies its file.
    """

    def replace(match: re.Match) -> str:
        name = match.group(1).strip()
        if Path(name).suffix.lower() not in IMAGE_SUFFIXES:
            return match.group(0)
        candidates = [source.parent / name, root / name, *sorted(root.rglob(Path(name).name))]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            return match.group(0)
        relative = _link_path(Path(os.path.relpath(found, source.parent)).as_posix())
        size = EMBED_SIZE_RE.fullmatch(match.group(2) or "")
        if size is None:
            return f"![{Path(name).stem}]({relative})"
        width, height = size.groups()
        sized = f' width="{width}"' + (f' height="{height}"' if height else "")
        return f'<img src="{relative}" alt="{html.escape(Path(name).stem)}"{sized}>'

    note.body = EMBED_RE.sub(replace, note.body)


def _store_image(path: Path, target: str) -> str:
    """Copy an image into media storage; return its URL path under MEDIA_URL."""
    data = path.read_bytes()
    exported = EXPORTED_MEDIA_RE.match(target)
    if exported:
        # Back where the export found it, unless another image holds that name here.
        name = media.clean_name(unquote(exported.group(1)))
        if name is not None:
            if not media.exists(name):
                name = media.save(name, data)
            if media.read(name) == data:
                return _link_path(name) if name != unquote(exported.group(1)) else exported.group(1)
    digest = hashlib.sha1(data).hexdigest()[:10]
    name = f"imported/{digest}-{path.name}"
    if not media.exists(name):
        name = media.save(name, data)
    return _link_path(name)


def _copy_images(note: ParsedNote, source: Path, report: Report, name: str, root: Path | None = None) -> None:
    _embeds_to_links(note, source, root or source.parent)

    def replace(match: re.Match) -> str:
        target = match.group(1)
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", target, re.I):
            return match.group(0)
        path = (source.parent / unquote(target)).resolve()
        if not path.is_file():
            report.warnings.append((name, f"image not found: {target}"))
            return match.group(0)
        # Only real raster images are published under /media: a note must not be
        # able to copy any other file of the server ("![](../../.env)") there.
        if path.suffix.lower() not in IMAGE_SUFFIXES or not _is_image(path):
            report.warnings.append((name, f"not a PNG, JPEG, GIF or WebP image, not copied: {target}"))
            return match.group(0)
        return match.group(0).replace(target, settings.MEDIA_URL + _store_image(path, target))

    note.body = IMG_TAG_RE.sub(replace, IMAGE_RE.sub(replace, note.body))


def _tag_key(names) -> list[str]:
    # Tags match case-insensitively (TAGGIT_CASE_INSENSITIVE).
    return sorted(name.lower() for name in names)


def _digest(title: str, body: str, tags, front_matter: str) -> str:
    """What an import compares: a note's title, body, tags and front matter."""
    text = "\0".join([title, body, "\0".join(_tag_key(tags)), front_matter])
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _save(parsed: ParsedNote, report: Report, author) -> None:
    if len(parsed.body) > settings.KB_MAX_BODY_CHARS:
        raise BadFile(
            f"the body of '{parsed.title}' is {len(parsed.body):,} characters; the limit is"
            f" {settings.KB_MAX_BODY_CHARS:,} (KB_MAX_BODY_CHARS)"
        )
    # A --split file's "# title" becomes a tag: the same limit as front matter tags.
    for tag in parsed.tags:
        if len(tag) > frontmatter.MAX_TAG_CHARS:
            raise BadFile(f"tag is longer than {frontmatter.MAX_TAG_CHARS} characters: {tag[:30]}…")
    if parsed.slug:
        note = Note.objects.filter(slug=parsed.slug).first()
        other = _same_but_for_case(parsed.slug) if note is None else None
        if other is not None:
            raise BadFile(
                f"slug {parsed.slug!r} differs only in case or width from the note at"
                f" /notes/{other.slug}/ ({other.title!r}): use that slug to update it, or another"
            )
    else:
        note = Note.objects.filter(import_key=parsed.import_key).first()
    wanted = _digest(parsed.title, parsed.body, parsed.tags, parsed.front_matter)
    if note is None:
        note = Note(slug=parsed.slug or "", import_key=parsed.import_key, author=author)
        outcome = report.created
    else:
        current = _digest(note.title, note.body, note.tags.names(), note.front_matter)
        if current == wanted:
            report.unchanged.append(parsed.title)
            if note.imported != wanted:  # imported before kb kept the digest
                Note.objects.filter(pk=note.pk).update(imported=wanted)
            return
        outcome = report.updated
        if note.imported and note.imported != current:
            report.warnings.append(
                (
                    parsed.source or parsed.title,
                    f"'{note.title}' was edited in kb since it was last imported; the file's text"
                    f" replaced that edit, which stays in the note's history (/notes/{note.slug}/history/)",
                )
            )
    note.title, note.body, note.front_matter = parsed.title, parsed.body, parsed.front_matter
    note.imported = wanted
    note.save_with_tags(
        parsed.tags,
        editor=author,
        message_code="imported",  # history.summaries.IMPORTED
        message_params={"source": (parsed.source or parsed.import_key or parsed.slug)[:200]},
    )
    outcome.append(parsed.title)


def markdown_files(paths: list[Path]) -> list[tuple[Path, str, Path]]:
    """Expand folders; return (path, import key, root folder) in a stable order."""
    found: list[tuple[Path, str, Path]] = []
    for root in paths:
        if root.is_dir():
            for path in sorted(root.rglob("*.md")):
                found.append((path, path.relative_to(root).as_posix(), root))
        else:
            found.append((root, root.name, root.parent))
    return found


def _folded(slug: str) -> str:
    # Two slugs that differ only in case or width name one file on macOS and Windows once
    # exported (Case-Slug.md, case-slug.md), and one note to a reader.
    return unicodedata.normalize("NFKC", slug).lower()  # as PostgreSQL's lower(normalize(…))


def _check_claims(parsed: list[ParsedNote], name: str, claimed: dict[str, str]) -> None:
    """Refuse a file whose slug a file imported before it in this run has: the second would
    silently replace the first note."""
    for note in parsed:
        if note.slug and claimed.get(_folded(note.slug), name) != name:
            raise BadFile(
                f"slug {note.slug!r} is also the slug of {claimed[_folded(note.slug)]}, imported just"
                " before (slugs that differ only in case or width count as one): give one of the two"
                " files another slug"
            )


def _same_but_for_case(slug: str) -> Note | None:
    """Another note whose slug differs from ``slug`` only in case or width."""
    nfkc = Func(F("slug"), function="normalize", template="%(function)s(%(expressions)s, NFKC)")
    return Note.objects.annotate(folded=Lower(nfkc)).filter(folded=_folded(slug)).exclude(slug=slug).first()


def import_paths(paths: list[Path], *, split: bool = False, author=None) -> Report:
    report = Report()
    claimed: dict[str, str] = {}  # slug -> the file of this import that has it
    for path, key, root in markdown_files(paths):
        name = str(path)
        try:
            if not path.exists():
                raise BadFile("no such file or folder")
            text = read_text(path)
            if split:
                try:
                    meta, text = frontmatter.split(text)
                except frontmatter.FrontMatterError as exc:
                    raise BadFile(str(exc)) from exc
                parsed = split_sections(text, key)
                if not parsed:
                    raise BadFile("no '##' sections to split into notes")
                # A heading with nothing under it before the next one ("## Script関連" over
                # "## …を渡す") is no note: an empty one only came first for its title's words.
                for note in parsed:
                    if not note.body.strip():
                        report.warnings.append((name, f"section '{note.title}' has no text: not imported"))
                parsed = [note for note in parsed if note.body.strip()]
            else:
                parsed = [parse_file(text, key, path.stem)]
            _check_claims(parsed, name, claimed)
            with transaction.atomic():
                for note in parsed:
                    _copy_images(note, path, report, name, root)
                    _save(note, report, author)
            claimed.update({_folded(note.slug): name for note in parsed if note.slug})
        except BadFile as exc:
            report.errors.append((name, frontmatter.cut(str(exc))))
        except OSError as exc:
            report.errors.append((name, frontmatter.cut(exc.strerror or str(exc))))
    return report
