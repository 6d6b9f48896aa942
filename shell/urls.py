from django.urls import path

from shell import views

urlpatterns = [
    path("shell/", views.setup, name="shell"),
    path("shell/kb.<str:shell>", views.script, name="shell_script"),
]
