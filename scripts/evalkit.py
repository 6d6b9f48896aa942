"""What the eval scripts share: the labels their query sets name notes by."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def labels(seed: Path) -> dict[str, int]:
    """{label: note id}: d<i> for the seed file's i-th "##" section, s<nn> for starter note nn.

    Sections count as the file has them, also those the import leaves out (a heading with no
    text), so a label names the same section whatever the importer keeps.
    """
    from notes.importing import split_sections
    from notes.models import Note

    keys = [note.import_key for note in split_sections(seed.read_text(encoding="utf-8"), seed.name)]
    keys = [key for key in keys if "#" in key]  # the sections, not the text before the first one
    found = dict(Note.objects.filter(import_key__in=keys).values_list("import_key", "pk"))
    out = {f"d{i}": found[key] for i, key in enumerate(keys, start=1) if key in found}
    for path in sorted((ROOT / "notes" / "starter").glob("*.md")):
        title = re.search(r"^title:\s*(.+)$", path.read_text(encoding="utf-8"), re.M)
        note = Note.objects.filter(title=title.group(1).strip().strip("\"'")).first() if title else None
        if note:
            out["s" + path.name[:2]] = note.pk
    return out
