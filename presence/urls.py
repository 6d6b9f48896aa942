from django.urls import path

from presence import views

urlpatterns = [
    path("notes/<str:slug>/editing/", views.heartbeat, name="editing_heartbeat"),
]
