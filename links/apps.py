from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "links"
    verbose_name = "Links between notes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from links import linking
        from notes.signals import note_saved

        # Deleting a note needs nothing here: SET_NULL turns the links that
        # pointed at it into links waiting for a note of that name.
        note_saved.connect(linking.on_note_saved, dispatch_uid="links_note_saved")
