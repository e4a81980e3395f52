"""The signalements' back-office, under /gestion/m/signalements/."""

from django.urls import URLPattern, path

from participe.modules.signalements.backoffice import views

app_name = "signalements"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("carte.geojson", views.feed, name="feed"),
    path("lot/", views.bulk_update, name="bulk"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/etat/", views.report_update, name="update"),
    path("<int:pk>/reaffecter/", views.report_reassign, name="reassign"),
    path("<int:pk>/note/", views.report_note, name="note"),
    path("<int:pk>/photo/", views.report_photo, name="photo"),
    path("categories/", views.categories, name="categories"),
    path("categories/ajouter/", views.category_edit, name="category_add"),
    path("categories/<int:pk>/", views.category_edit, name="category"),
    path("categories/<int:pk>/territoires/", views.route_save, name="route"),
    path("categories/<int:pk>/open311/", views.forwarding_save, name="forwarding"),
    path("<int:pk>/retransmettre/", views.forward_retry, name="forward_retry"),
    path("modeles/", views.templates, name="templates"),
    path("cles-open311/", views.api_keys, name="api_keys"),
    path("cles-open311/<int:pk>/revoquer/", views.api_key_revoke, name="api_key_revoke"),
    path("statistiques/", views.stats, name="statistics"),
]
