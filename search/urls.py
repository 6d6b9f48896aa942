from django.urls import path

from search import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("api/search", views.api_search, name="api_search"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
]
