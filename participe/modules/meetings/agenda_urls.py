"""The organisation's agenda and its feeds, at the site's root (participe/urls.py includes them; decision 0023)."""

from django.urls import URLPattern, path

from participe.modules.meetings import agenda

app_name = "agenda"
urlpatterns: list[URLPattern] = [
    path("agenda/", agenda.agenda_list, name="list"),
    path("agenda/mois/", agenda.agenda_month, name="month"),
    path("agenda/carte/", agenda.agenda_map, name="map"),
    path("agenda/carte.geojson", agenda.agenda_geojson, name="geojson"),
    path("agenda.ics", agenda.organisation_feed, name="feed"),
    path("agenda/demarches/<slug:slug>.ics", agenda.space_feed, name="space_feed"),
    path("agenda/territoires/<slug:slug>.ics", agenda.territory_feed, name="territory_feed"),
]
