from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LookupConfig(AppConfig):
    name = "lookup"
    verbose_name = _("Command lookup")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lookup import signals  # noqa: F401 - connects the note_saved receiver
