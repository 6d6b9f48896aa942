from django.apps import AppConfig


class VectorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vectors"
    verbose_name = "vectors"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from vectors import receivers  # noqa: F401 - connects the note_saved receiver
        from vectors.search import tune_session

        connection_created.connect(tune_session, dispatch_uid="vectors.tune_session")
