"""Public pages of a votation, under the module's address (/demarches/<space>/<module>/)."""

from django.urls import URLPattern, path

from participe.modules.votation import views

urlpatterns: list[URLPattern] = [
    path("voter/", views.ballot, name="ballot"),
    path("voter/confirmer/", views.confirm, name="confirm"),
    # Not "resultats/": the surveys module has that path, and modules share their address prefix (first match wins).
    path("resultats-du-vote/", views.results, name="results"),
]
