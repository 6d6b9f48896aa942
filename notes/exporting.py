from __future__ import annotations

from pathlib import Path

from notes import frontmatter
from notes.models import Note


def export_notes(directory: Path) -> list[Path]:
    """Write every note as ``<slug>.md`` with front matter; return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for note in Note.objects.order_by("slug").prefetch_related("tags"):
        path = directory / f"{note.slug}.md"
        text = frontmatter.dump(note.title, note.slug, [t.name for t in note.tags.all()], note.body)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
