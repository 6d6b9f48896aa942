from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from lookup.models import (
    MAX_COMMAND_CHARS,
    MAX_EXPLANATION_CHARS,
    MAX_TAG_CHARS,
    MAX_TAGS,
    MAX_TASK_CHARS,
    MAX_TASKS,
    Entry,
    entry_tag,
)
from notes.controls import control_character, one_line, terminal_control, visible
from notes.forms import check_tag_limits
from notes.frontmatter import IME_COMMAS
from notes.models import Note


def _refuse_controls(text: str, find=control_character) -> None:
    """A form error naming the first character ``find`` objects to in ``text``."""
    if char := find(text):
        raise forms.ValidationError(
            _("“%(text)s” contains a control character (%(char)s), which cannot be shown; remove it."),
            params={"text": visible(text[:30]), "char": char},
        )


class EntryForm(forms.Form):
    tasks = forms.CharField(
        label=_("Tasks"),
        max_length=MAX_TASKS * (MAX_TASK_CHARS + 1),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One way of saying the task per line; the first is shown."),
    )
    command = forms.CharField(
        label=_("Command"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "mono", "spellcheck": "false"}),
        # Django's form templates show help text as HTML: the <name> example must be escaped.
        help_text=lazy(escape, str)(_("Placeholders: {{name}}, <name> or [名前].")),
        max_length=MAX_COMMAND_CHARS,
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_EXPLANATION_CHARS,
    )
    # Room for MAX_TAGS tags of MAX_TAG_CHARS each with separators; clean_tags checks each.
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separated by commas or spaces."),
        max_length=MAX_TAGS * (MAX_TAG_CHARS + 1),
    )
    note = forms.CharField(label=_("Note (slug)"), required=False, max_length=140)
    anchor = forms.CharField(label=_("Heading anchor"), required=False, max_length=200)

    def clean_tasks(self) -> list[str]:
        tasks = [one_line(line) for line in self.cleaned_data["tasks"].splitlines() if line.strip()]
        if not tasks:
            raise forms.ValidationError(_("Write at least one task."))
        for task in tasks:
            _refuse_controls(task)
        if any(len(t) > MAX_TASK_CHARS for t in tasks):
            raise forms.ValidationError(
                _("Each task must be at most %(limit)d characters."), params={"limit": MAX_TASK_CHARS}
            )
        if len(tasks) > MAX_TASKS:
            raise forms.ValidationError(
                _("Write at most %(limit)d tasks (one per line)."), params={"limit": MAX_TASKS}
            )
        return tasks

    def clean_command(self) -> str:
        # A browser sends a textarea's line breaks as CR LF.
        command = self.cleaned_data["command"].replace("\r\n", "\n").strip()
        if not command:
            raise forms.ValidationError(_("The command is empty."))
        # /q/ prints commands to a terminal, which would obey an escape sequence in one.
        _refuse_controls(command, terminal_control)
        lines = command.split("\n")
        if any(not line.rstrip().endswith("\\") for line in lines[:-1]):
            # A prompt runs one line; what comes after a line break would run on its own.
            raise forms.ValidationError(
                _(
                    "A command is one line (end a line with \\ to go on to the next). Several commands belong in a note."
                )
            )
        # Continued lines are one command, as the shell reads them: one line to put on a prompt.
        return " ".join(line.rstrip().removesuffix("\\").strip() for line in lines)

    def clean_explanation(self) -> str:
        explanation = self.cleaned_data["explanation"]
        _refuse_controls(explanation, terminal_control)
        return explanation

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data["tags"].translate(IME_COMMAS).replace(",", " ")
        tags = [entry_tag(t) for t in raw.split() if t]
        check_tag_limits(tags, MAX_TAG_CHARS, MAX_TAGS)
        return tags

    def clean_note(self) -> Note | None:
        slug = self.cleaned_data["note"].strip()
        if not slug:
            return None
        note = Note.objects.filter(slug=slug).first()
        if note is None:
            raise forms.ValidationError(_("No note has the slug %(slug)s.") % {"slug": slug})
        return note

    @classmethod
    def initial_for(cls, entry: Entry) -> dict:
        return {
            "tasks": "\n".join(entry.tasks),
            "command": entry.command,
            "explanation": entry.explanation,
            "tags": " ".join(entry.tags),
            "note": entry.note.slug if entry.note_id else "",
            "anchor": entry.anchor,
        }

    def fill(self, entry: Entry) -> Entry:
        data = self.cleaned_data
        entry.tasks, entry.command, entry.explanation = data["tasks"], data["command"], data["explanation"]
        entry.tags, entry.note, entry.anchor = data["tags"], data["note"], data["anchor"]
        entry.origin = Entry.Origin.MANUAL
        entry.language = "ja" if any(ord(c) > 0x3000 for c in "".join(data["tasks"])) else "en"
        return entry
