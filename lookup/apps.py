from django.apps import AppConfig


class LookupConfig(AppConfig):
    name = "lookup"
    verbose_name = "Lookup"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lookup import signals  # noqa: F401 - connects the note_saved receiver
