"""Public pages of the proposals module, mounted under the module's address (/demarches/<slug>/<module_slug>/)."""

from django.urls import URLPattern, path

from participe.modules.proposals.views import open_data as views_open_data
from participe.modules.proposals.views import proposals as views

urlpatterns: list[URLPattern] = [
    path("propositions/<int:pk>/", views.proposal_detail, name="detail"),
    path("deposer/", views.proposal_create, name="create"),
    path("propositions/<int:pk>/modifier/", views.proposal_edit, name="edit"),
    path("propositions/<int:pk>/deposer/", views.proposal_publish, name="publish"),
    path("propositions/<int:pk>/retirer/", views.proposal_withdraw, name="withdraw"),
    path("propositions/<int:pk>/supprimer/", views.proposal_delete, name="delete"),
    path("carte/", views.proposal_map, name="map"),
    path("carte/propositions.geojson", views.proposal_geojson, name="geojson"),
    path("doublons/", views.proposal_similar, name="similar"),
    # Open data (when the module's "open_data" setting is on): csv, json or geojson.
    path("donnees-ouvertes/propositions.<str:fmt>", views_open_data.open_data, name="open_data"),
]
