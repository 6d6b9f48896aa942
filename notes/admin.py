from django.contrib import admin
from django.db import models
from markdownx.widgets import AdminMarkdownxWidget

from notes.models import Note
from notes.signals import note_saved


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "author", "updated_at"]
    search_fields = ["title", "slug"]
    list_filter = ["tags"]
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = {models.TextField: {"widget": AdminMarkdownxWidget}}

    def save_related(self, request, form, formsets, change):
        # Tags are saved here, after the note; only now is the note complete.
        super().save_related(request, form, formsets, change)
        note_saved.send(sender=Note, note=form.instance)
