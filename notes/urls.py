from django.urls import path

from notes import views

urlpatterns = [
    path("", views.home, name="home"),
    path("notes/", views.note_list, name="note_list"),
    path("notes/new/", views.note_create, name="note_create"),
    path("notes/<str:slug>/", views.note_detail, name="note_detail"),
    path("notes/<str:slug>/edit/", views.note_edit, name="note_edit"),
    path("notes/<str:slug>/delete/", views.note_delete, name="note_delete"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/<str:tag>/", views.tag_detail, name="tag_detail"),
    path("export/", views.export_page, name="export"),
]
