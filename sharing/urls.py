from django.urls import path

from sharing import views

urlpatterns = [
    path("notes/<str:slug>/share/", views.share_create, name="share_create"),
    path("share/<int:pk>/revoke/", views.share_revoke, name="share_revoke"),
    # The shared page and the images it shows; reachable without a login (accounts.middleware).
    path("s/<str:token>/", views.shared_note, name="shared_note"),
    path("s/<str:token>/media/<path:path>", views.shared_media, name="shared_media"),
]
