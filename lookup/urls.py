from django.urls import path, re_path

from lookup import views

urlpatterns = [
    path("lookup/", views.lookup_page, name="lookup"),
    path("lookup/new/", views.entry_create, name="lookup_entry_create"),
    path("lookup/<int:pk>/edit/", views.entry_edit, name="lookup_entry_edit"),
    path("lookup/<int:pk>/delete/", views.entry_delete, name="lookup_entry_delete"),
    path("api/lookup", views.api_lookup, name="api_lookup"),
    path("q/<path:query>", views.plain_lookup, name="lookup_plain"),
    # A query with a line break in it (q/a%0Ab), which <path:> does not match: still plain text.
    re_path(r"^q/(?P<query>(?s:.+))$", views.plain_lookup),
    path("q/", views.plain_lookup, name="lookup_plain_usage"),
    path("q", views.plain_lookup),
    path("cheatsheet/<str:tag>/", views.cheatsheet, name="cheatsheet"),
]
