from django.urls import path

from links import views

urlpatterns = [
    path("wiki/<path:name>/", views.wiki, name="wiki_link"),
]
