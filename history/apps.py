from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "history"

    def ready(self) -> None:
        from history import receivers  # noqa: F401 - connects the signal receivers
