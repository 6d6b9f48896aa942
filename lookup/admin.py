from django.contrib import admin

from lookup.models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["command", "task", "origin", "language", "note"]
    list_filter = ["origin", "language"]
    search_fields = ["command", "command_key"]
    raw_id_fields = ["note", "author"]
    readonly_fields = ["command_key", "command_len"]
