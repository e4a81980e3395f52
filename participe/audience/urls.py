"""The statistics page of the back-office, mounted under /gestion/statistiques/ by the root urlconf."""

from django.urls import URLPattern, path

from participe.audience import views

app_name = "audience"
urlpatterns: list[URLPattern] = [
    path("", views.statistics, name="statistics"),
    path("statistiques.csv", views.statistics_export, name="export"),
]
