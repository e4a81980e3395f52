"""Back-office pages of the ballot service, mounted under /gestion/scrutins/ by the root urlconf."""

from django.urls import URLPattern, path

from participe.ballots.backoffice import views

app_name = "ballots_backoffice"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.election_page, name="election"),
    path("<int:pk>/clore/", views.election_close, name="close"),
    path("<int:pk>/depouiller/", views.election_count, name="count"),
    path("<int:pk>/annuler/", views.election_annul, name="annul"),
    path("<int:pk>/bureaux/ajouter/", views.station_create, name="station_create"),
    path("<int:pk>/bureaux/<int:station_pk>/modifier/", views.station_edit, name="station_edit"),
    path("<int:pk>/bureaux/<int:station_pk>/", views.station_desk, name="station"),
    path("<int:pk>/bureaux/<int:station_pk>/lots/", views.batches, name="batches"),
]
