"""The jury's back-office pages, under /gestion/m/juries/."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from participe.modules.juries.backoffice import views

app_name = "juries"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<int:module_pk>/", views.panel, name="panel"),
    path("<int:module_pk>/caracteristiques/ajouter/", views.feature, name="feature_add"),
    path("<int:module_pk>/caracteristiques/<int:pk>/", views.feature, name="feature"),
    path("<int:module_pk>/importer/", views.pool_import, name="import"),
    path("<int:module_pk>/engager/", views.commit, name="commit"),
    path("<int:module_pk>/tirer/", views.draw, name="draw"),
    path("<int:module_pk>/espace-des-membres/", views.members_space, name="members_space"),
    path("<int:module_pk>/avis/ajouter/", views.recommendation_add, name="recommendation_add"),
    path("<int:module_pk>/avis/<int:pk>/", views.recommendation, name="recommendation"),
]
labels = {
    "panel": _("Jury : quotas, volontaires, tirage"),
    "import": _("Importer des volontaires (CSV)"),
    "recommendation_add": _("Ajouter une recommandation de l'avis"),
}
