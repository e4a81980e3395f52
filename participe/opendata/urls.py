from django.urls import path

from participe.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:slug>/<slug:module_slug>/<slug:export>.<str:fmt>", views.download, name="download"),
]
