"""Public pages of a jury, under the module's address (/demarches/<space>/<module>/)."""

from django.urls import URLPattern, path

from participe.modules.juries import views

urlpatterns: list[URLPattern] = [
    path("volontaire/", views.volunteer, name="volunteer"),
    path("tirages/<int:number>/categories.csv", views.draw_file, {"kind": "categories"}, name="categories"),
    path("tirages/<int:number>/respondents.csv", views.draw_file, {"kind": "respondents"}, name="respondents"),
    path("tirages/<int:number>/tickets.json", views.draw_file, {"kind": "tickets"}, name="tickets"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("invitation/<str:token>/rejoindre/", views.join, name="join"),
]
