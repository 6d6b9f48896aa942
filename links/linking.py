"""Keeping the link table current, and finding the note a [[name]] means."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from django.db import transaction
from django.db.models import CharField, Func
from django.db.models.functions import Lower

from history.models import Revision
from links.models import Link
from notes.mdrules import WIKI_PREFIX, normalize
from notes.models import Note

# The renderer writes every [[name]] as <a class="wikilink" href="/wiki/<name>/…">.
WIKILINK_RE = re.compile(
    r'<a class="wikilink" href="' + re.escape(WIKI_PREFIX) + r'([^"/#]*)/(#[^"]*)?"[^>]*>(.*?)</a>'
)
MAX_NAME = 200


class Folded(Func):
    """A title as notes.mdrules.normalize folds a link's name: NFKC, lower case, one space.

    [[ﾏﾙﾁｽﾃｰｼﾞﾋﾞﾙﾄﾞ]], [[ポートの公開：-p と EXPOSE]] (an IME's colon) and [[docker　compose の基本]]
    (an ideographic space) name the notes whose titles say it in the other width.
    """

    template = r"btrim(regexp_replace(lower(normalize(%(expressions)s, NFKC)), '\s+', ' ', 'g'))"
    output_field = CharField()


def names_in(body_html: str) -> list[str]:
    """The [[names]] in a note's stored HTML, in order, without repeats."""
    found: dict[str, str] = {}
    for match in WIKILINK_RE.finditer(body_html):
        name = html.unescape(unquote(match.group(1))).strip()
        if name and len(name) <= MAX_NAME:
            found.setdefault(normalize(name), name)
    return list(found.values())


def resolve(names: list[str]) -> dict[str, Note]:
    """Folded name → note, by slug, then by title, then by a title the note had before."""
    wanted = {normalize(n): n for n in names}
    found: dict[str, Note] = {}
    # A slug as typed in any case or width ([[CONTAINER-LIFECYCLE]], [[ｃｏｎｔａｉｎｅｒ-lifecycle]]):
    # the folded name is compared with the lower-cased slug, one spelt as linked first.
    slugs = Note.objects.annotate(s=Lower("slug")).filter(s__in=list(wanted)).only("pk", "slug", "title")
    exact_slugs = set(wanted.values())
    for note in sorted(slugs, key=lambda n: (n.slug not in exact_slugs, n.pk)):
        found.setdefault(normalize(note.slug), note)
    left = [k for k in wanted if k not in found]
    if left:
        # By title in any case, width or spacing (an IME's full-width colon folds to ":" with no
        # space after it), in one query. Of the titles a name fits, the one folded as linked
        # wins, then the one spelt as linked, then the oldest.
        spaceless = Func(Folded("title"), template="replace(%(expressions)s, ' ', '')")
        fits: dict[str, list[Note]] = {}
        notes = Note.objects.annotate(t=spaceless).filter(t__in=[k.replace(" ", "") for k in left])
        for note in notes.only("pk", "slug", "title"):
            fits.setdefault(normalize(note.title).replace(" ", ""), []).append(note)
        for key in left:
            if candidates := fits.get(key.replace(" ", "")):
                found[key] = min(
                    candidates, key=lambda n: (normalize(n.title) != key, n.title != wanted[key], n.pk)
                )
    left = [n for k, n in wanted.items() if k not in found]
    if left:
        # Renamed notes: an older revision still carries the name.
        old = (
            Revision.objects.annotate(t=Folded("title"))
            .filter(t__in=[normalize(n) for n in left], note__isnull=False)
            .select_related("note")
            .order_by("-created_at")
        )
        for rev in old:
            found.setdefault(normalize(rev.title), rev.note)
    return {k: found[k] for k in wanted if k in found}


def refresh(note: Note) -> None:
    """Rewrite the note's outgoing links, then let it claim links waiting for its name."""
    names = names_in(note.body_html)
    keys = {normalize(n): n for n in names}
    with transaction.atomic():
        current = {link.key: link for link in Link.objects.filter(source=note).select_related("target")}
        Link.objects.filter(source=note).exclude(key__in=list(keys)).delete()
        # A link that already leads somewhere keeps its target (a rename must
        # not move it); new and waiting ones are resolved now.
        unresolved = [n for k, n in keys.items() if k not in current or current[k].target_id is None]
        resolved = resolve(unresolved) if unresolved else {}
        rows = []
        for key, name in keys.items():
            old = current.get(key)
            target = old.target if old is not None and old.target_id else resolved.get(key)
            rows.append(Link(source=note, name=name, key=key, target=target))
        Link.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["source", "key"], update_fields=["name", "target"]
        )
        Link.objects.waiting({normalize(note.title), normalize(note.slug)}).update(target=note)


def on_note_saved(sender, note: Note, **kwargs) -> None:
    refresh(note)


def heal(links: list[Link]) -> None:
    """Resolve waiting links against notes saved without signals (bulk imports)."""
    waiting = [link for link in links if link.target_id is None]
    if not waiting:
        return
    found = resolve([link.name for link in waiting])
    for link in waiting:
        if link.key in found:
            link.target = found[link.key]
            Link.objects.filter(pk=link.pk, target__isnull=True).update(target=link.target)
