"""Export notes as Markdown files with front matter, and the images they show.

A note's uploaded images (``![..](/media/uploads/x.png)``) are written beside the
notes as ``media/uploads/x.png`` and the links made relative, so an export is a
full copy: a folder any Markdown viewer can show, or one zip. ``import_notes``
turns those links back, so export → import → export gives the same bytes.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from django.conf import settings
from django.db.models import QuerySet

from notes import frontmatter, media
from notes.importing import IMAGE_RE, IMG_TAG_RE
from notes.models import Note
from notes.tags import find_tag

# Where kb keeps images: editor uploads and images copied in by import_notes.
MEDIA_FOLDERS = ("uploads/", "imported/")
# Zip entries get a fixed time, so the same notes always make the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass
class Export:
    files: dict[str, bytes] = field(default_factory=dict)  # archive path -> content
    notes: int = 0
    warnings: list[str] = field(default_factory=list)


def select(tags: list[str] | None = None, exclude_tags: list[str] | None = None) -> QuerySet[Note]:
    notes = Note.objects.all()
    if tags:
        names = tag_names(tags)
        notes = notes.filter(tags__name__in=names).distinct() if names else notes.none()
    if exclude_tags and (names := tag_names(exclude_tags)):
        notes = notes.exclude(tags__name__in=names)
    return notes.order_by("slug").prefetch_related("tags")


def tag_names(tags: list[str]) -> list[str]:
    """The stored spelling of each tag that exists, however it was typed (notes.tags)."""
    return [tag.name for tag in map(find_tag, tags) if tag is not None]


def _media_file(url_path: str) -> bytes | None:
    """The bytes behind /media/<url_path>, if it is one of kb's images and exists."""
    if not url_path.startswith(MEDIA_FOLDERS):
        return None
    return media.read(url_path)


def build(notes: QuerySet[Note]) -> Export:
    export = Export()
    media = re.escape(settings.MEDIA_URL)
    for note in notes:
        missing: set[str] = set()

        def relative(match: re.Match, note: Note = note, missing: set[str] = missing) -> str:
            target = match.group(1)
            m = re.match(media + r"(.+)$", target)
            if not m:
                return match.group(0)
            data = _media_file(unquote(m.group(1)))
            if data is None:
                missing.add(target)
                return match.group(0)
            export.files[f"media/{unquote(m.group(1))}"] = data
            return match.group(0).replace(target, f"media/{m.group(1)}")

        body = IMG_TAG_RE.sub(relative, IMAGE_RE.sub(relative, note.body))
        export.warnings += [
            f"{note.slug}: image not found, link kept: {target}" for target in sorted(missing)
        ]
        text = frontmatter.dump(
            note.title, note.slug, [t.name for t in note.tags.all()], body, note.front_matter
        )
        export.files[f"{note.slug}.md"] = text.encode()
        export.notes += 1
    return export


def write_folder(export: Export, directory: Path) -> list[Path]:
    written = []
    for name, data in sorted(export.files.items()):
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def write_zip(export: Export, out: BinaryIO) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(export.files.items()):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


def export_notes(directory: Path, **filters) -> list[Path]:
    """Write the notes as ``<slug>.md`` with front matter, and their images; return the files."""
    directory.mkdir(parents=True, exist_ok=True)
    return write_folder(build(select(**filters)), directory)
