"""Bulk import of tldr pages: one note per page, its examples as entries.

7,000 pages must import in well under two minutes, so notes, tags and entries
are written with bulk operations instead of one save (and one note_saved
round of derived work) per page. Re-running updates changed pages and leaves
unchanged ones alone; the import key ``tldr:<lang>/<platform>/<page>`` is what
makes a page the same note next time. Created and changed pages get a
bulk-import revision each (history.revisions.record_imported), so later hand
edits can be diffed; pages imported before that get their first one on the
next run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from taggit.models import Tag, TaggedItem

from history import revisions, summaries
from history.models import Revision
from lookup import aliases, lexicon, popularity
from lookup.indexing import TLDR_KEY_PREFIX, entries_for_note
from lookup.models import Entry
from lookup.tldr import iter_pages, parse_page, summary
from notes.models import Note

BATCH = 500


@dataclass
class TldrReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    entries: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Page:
    key: str
    slug: str
    title: str
    body: str
    tags: list[str]
    description: str
    language: str = "en"

    @property
    def note_tags(self) -> list[str]:
        """The note's tags: the entries' tags and the page's language (lang:ja, lang:en)."""
        return [*self.tags, language_tag(self.language)]


def language_tag(language: str) -> str:
    return f"lang:{language.lower()}"


def tag_slug(name: str) -> str:
    # "lang:ja" -> "lang-ja": a plain URL, /tags/lang-ja/.
    return name.replace(":", "-")


def _read(root: Path, report: TldrReport) -> list[_Page]:
    pages = []
    for path, lang, platform in iter_pages(root):
        try:
            text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError) as exc:
            report.errors.append((str(path), str(exc)))
            continue
        if "\x00" in text:
            report.errors.append((str(path), "contains a NUL byte"))
            continue
        parsed = parse_page(text)
        title = (parsed.name or path.stem)[:200]
        # Page names like "[" or "!" have no word characters: spell them out.
        stem = path.stem if re.search(r"\w", path.stem) else "-".join(f"{ord(c):x}" for c in path.stem)
        slug = re.sub(r"[^\w-]+", "-", f"tldr-{lang}-{platform}-{stem}").strip("-")[:136]
        pages.append(
            _Page(
                key=f"{TLDR_KEY_PREFIX}{lang}/{platform}/{path.stem}"[:300],
                slug=slug,
                title=title,
                body=text,
                tags=["tldr", platform.lower()],
                description=summary(parsed.description),
                language=lang,
            )
        )
    return pages


def import_tldr(root: Path, progress: Callable[[str], None] | None = None) -> TldrReport:
    report = TldrReport()
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a folder")
    pages = _read(root, report)
    existing = {n.import_key: n for n in Note.objects.filter(import_key__startswith=TLDR_KEY_PREFIX)}
    taken = set(Note.objects.values_list("slug", flat=True))

    new: list[tuple[Note, _Page]] = []
    changed: list[tuple[Note, _Page]] = []
    unchanged: list[tuple[Note, _Page]] = []
    for page in pages:
        note = existing.get(page.key)
        if note is None:
            slug, n = page.slug, 2
            while slug in taken:
                slug, n = f"{page.slug}-{n}", n + 1
            taken.add(slug)
            note = Note(title=page.title, slug=slug, body=page.body, import_key=page.key)
            note.render()
            new.append((note, page))
        elif (note.title, note.body) != (page.title, page.body):
            note.title, note.body = page.title, page.body
            note.render()
            changed.append((note, page))
        else:
            unchanged.append((note, page))
            report.unchanged += 1

    with transaction.atomic():
        Note.objects.bulk_create([n for n, _ in new], batch_size=BATCH)
        Note.objects.bulk_update(
            [n for n, _ in changed],
            ["title", "body", "body_html", "toc_html", "render_version"],
            batch_size=BATCH,
        )
        _tag(new)
        _record_revisions(new, changed, unchanged)
        if progress:
            progress(f"{len(new)} new and {len(changed)} changed pages saved; writing entries")
        Entry.objects.filter(note__in=[n for n, _ in changed]).exclude(origin=Entry.Origin.MANUAL).delete()
        buffer: list[Entry] = []
        for note, page in new + changed:
            buffer.extend(entries_for_note(note, tags=page.tags, description=page.description))
            if len(buffer) >= 5000:
                report.entries += len(Entry.objects.bulk_create(buffer, batch_size=1000))
                buffer = []
        report.entries += len(Entry.objects.bulk_create(buffer, batch_size=1000))
        if new or changed:
            popularity.refresh()
            aliases.follow()
            lexicon.learn()
    _reindex_search([n for n, _ in new + changed])
    report.created, report.updated = len(new), len(changed)
    return report


def _record_revisions(
    new: list[tuple[Note, _Page]], changed: list[tuple[Note, _Page]], unchanged: list[tuple[Note, _Page]]
) -> None:
    """One bulk-import revision per created or changed page.

    Unchanged pages that have no history at all (imported before imports
    recorded revisions) get their first revision too.
    """
    with_history = set(
        Revision.objects.filter(note_key__in=[n.pk for n, _ in unchanged])
        .order_by()
        .values_list("note_key", flat=True)
        .distinct()
    )
    missing = [(n, p) for n, p in unchanged if n.pk not in with_history]
    # The importer does not retag pages it updates: their revision keeps the note's tags.
    kept = _tag_names([n.pk for n, _ in changed + missing])
    items = [(n, page.note_tags, _message(page)) for n, page in new]
    items += [(n, kept.get(n.pk, []), _message(page)) for n, page in changed + missing]
    revisions.record_imported(items, batch_size=BATCH)


def _message(page: _Page) -> tuple[str, dict]:
    return summaries.TLDR_IMPORTED, {"page": page.key.removeprefix(TLDR_KEY_PREFIX)}


def _tag_names(note_ids: list[int]) -> dict[int, list[str]]:
    if not note_ids:
        return {}
    ct = ContentType.objects.get_for_model(Note)
    names: dict[int, list[str]] = {}
    rows = TaggedItem.objects.filter(content_type=ct, object_id__in=note_ids).values_list(
        "object_id", "tag__name"
    )
    for note_id, name in rows:
        names.setdefault(note_id, []).append(name)
    return names


def _tag(new: list[tuple[Note, _Page]]) -> None:
    names = {t for _, page in new for t in page.note_tags}
    tags = {t.name.lower(): t for t in Tag.objects.filter(name__in=names)}
    for name in names - set(tags):
        tags[name] = Tag.objects.create(name=name, slug=tag_slug(name))
    ct = ContentType.objects.get_for_model(Note)
    TaggedItem.objects.bulk_create(
        [TaggedItem(tag=tags[t], content_type=ct, object_id=n.pk) for n, page in new for t in page.note_tags],
        batch_size=2000,
        ignore_conflicts=True,
    )


def _reindex_search(notes: list[Note]) -> None:
    """Let note search know about the pages, in bulk."""
    if not notes:
        return
    try:
        from search import indexing
    except ImportError:
        return
    indexing.index_notes(notes)
