"""Zip archives for import_notes: a kb export, an Obsidian vault or a GitHub wiki.

The zip is unpacked into a temporary folder, then imported like a folder. Only
Markdown and image files are unpacked, never outside that folder, and never more
than ``KB_IMPORT_MAX_BYTES`` in all, so a hostile zip cannot write elsewhere or fill
the disk.
"""

from __future__ import annotations

import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings

from notes.importing import IMAGE_SUFFIXES, BadFile, Report, import_paths

UNPACKED = {".md", *IMAGE_SUFFIXES}
MAX_ENTRIES = 100_000
# A GitHub wiki's sidebar, header and footer are page furniture, not notes.
WIKI_CHROME = {"_Sidebar.md", "_Footer.md", "_Header.md"}


UNSAFE = "skipped: its path leads outside the zip's folder"
LINK = "skipped: a symbolic link"
OTHER = "other"  # neither Markdown nor an image: counted, not named one by one


def _safe_name(info: zipfile.ZipInfo) -> tuple[PurePosixPath | None, str]:
    """The entry's path to unpack, or None and why it is left out ('' for what is never a note)."""
    name = PurePosixPath(info.filename.replace("\\", "/"))
    if info.is_dir() or not name.parts:
        return None, ""
    if name.is_absolute() or ".." in name.parts:
        return None, UNSAFE
    if stat.S_ISLNK(info.external_attr >> 16):
        return None, LINK
    # Finder's resource forks and hidden files are not notes.
    if name.parts[0] == "__MACOSX" or any(part.startswith(".") for part in name.parts):
        return None, ""
    if name.name in WIKI_CHROME:
        return None, ""
    if name.suffix.lower() not in UNPACKED:
        return None, OTHER
    return name, ""


def unpack(path: Path, into: Path, warnings: list[tuple[str, str]] | None = None) -> int:
    """Unpack the notes and images of the zip at ``path``; return how many files.

    Entries left out for safety are named in ``warnings``; other files are counted there."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise BadFile(f"not a zip file: {exc}") from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise BadFile(f"more than {MAX_ENTRIES} files in the zip")
        budget = settings.KB_IMPORT_MAX_BYTES
        count = others = 0
        for info in entries:
            name, why = _safe_name(info)
            if name is None:
                if why == OTHER:
                    others += 1
                elif why and warnings is not None:
                    warnings.append((f"{path.name}:{info.filename}", why))
                continue
            # Declared sizes can lie: count what is actually read.
            dest = into.joinpath(*name.parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, dest.open("wb") as out:
                while chunk := src.read(1 << 20):
                    budget -= len(chunk)
                    if budget < 0:
                        raise BadFile(f"the zip unpacks to more than {settings.KB_IMPORT_MAX_BYTES} bytes")
                    out.write(chunk)
            count += 1
        if others and warnings is not None:
            what = "1 file that is" if others == 1 else f"{others} files that are"
            warnings.append((path.name, f"not imported: {what} neither Markdown nor an image"))
        return count


def import_zip(path: Path, *, split: bool = False, author=None) -> Report:
    with tempfile.TemporaryDirectory(prefix="kb-import-") as tmp:
        root = Path(tmp)
        skipped: list[tuple[str, str]] = []
        try:
            unpack(path, root, skipped)
        except (BadFile, zipfile.BadZipFile, OSError) as exc:
            report = Report()
            report.errors.append((str(path), str(exc)))
            return report
        report = import_paths([root], split=split, author=author)
    # Name files as "export.zip:folder/note.md", not by the temporary folder.
    prefix = str(root) + "/"

    def rename(entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(name.replace(prefix, f"{path.name}:", 1), message) for name, message in entries]

    report.errors, report.warnings = rename(report.errors), skipped + rename(report.warnings)
    return report
