from django.urls import path

from accounts.access import plain_read_required
from history import views
from history.feeds import ChangesFeed

urlpatterns = [
    path("notes/<str:slug>/history/", views.note_history, name="note_history"),
    path("notes/<str:slug>/diff/", views.note_diff, name="note_diff"),
    path("notes/<str:slug>/revisions/<int:number>/", views.revision_detail, name="revision_detail"),
    path(
        "notes/<str:slug>/revisions/<int:number>/restore/",
        views.revision_restore,
        name="revision_restore",
    ),
    path("changes/", views.changes, name="changes"),
    path("changes/feed/", plain_read_required(ChangesFeed()), name="changes_feed"),
    path("trash/", views.trash, name="trash"),
    path("trash/<int:note_key>/", views.trash_detail, name="trash_detail"),
    path("trash/<int:note_key>/restore/", views.trash_restore, name="trash_restore"),
]
