from django.contrib import admin

from sharing.models import ShareLink


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ["note", "created_by", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["note__title", "created_by__username"]
    readonly_fields = ["note", "token", "created_by", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False
