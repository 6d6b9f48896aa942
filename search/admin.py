from django.contrib import admin

from search.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["words", "updated_at"]
    search_fields = ["words"]
