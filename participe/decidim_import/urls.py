"""Back-office pages of the Decidim import, mounted under /gestion/import-decidim/ by the root urlconf."""

from django.urls import URLPattern, path

from participe.decidim_import import views

app_name = "decidim_import"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/importer/", views.confirm, name="confirm"),
    path("<int:pk>/abandonner/", views.drop, name="drop"),
]
