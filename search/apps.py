from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_delete

        from notes.models import Note
        from notes.signals import note_saved
        from search import indexing, synonyms
        from search.models import Synonym

        note_saved.connect(indexing.on_note_saved, dispatch_uid="search_index_note")
        pre_delete.connect(indexing.on_note_deleted, sender=Note, dispatch_uid="search_unindex_note")
        post_save.connect(synonyms.clear, sender=Synonym, dispatch_uid="search_synonyms_saved")
        post_delete.connect(synonyms.clear, sender=Synonym, dispatch_uid="search_synonyms_deleted")
