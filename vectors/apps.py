from django.apps import AppConfig


class VectorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vectors"
    verbose_name = "vectors"

    def ready(self) -> None:
        from vectors import receivers  # noqa: F401 - connects the note_saved receiver
