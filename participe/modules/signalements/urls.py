"""Public pages of the signalements, under /signalements/."""

from django.urls import URLPattern, path

from participe.modules.signalements import views

urlpatterns: list[URLPattern] = [
    path("nouveau/", views.report_create, name="create"),
    path("carte.geojson", views.feed, name="feed"),
    path("doublons/", views.duplicates, name="duplicates"),
    path("adresses/", views.geocode, name="geocode"),
    path("statistiques/", views.stats, name="statistics"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/moi-aussi/", views.me_too, name="me_too"),
    path("<int:pk>/rouvrir/", views.reopen, name="reopen"),
]
