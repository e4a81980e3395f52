"""The budget's back-office pages, under /gestion/m/budgets/."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from participe.modules.budgets.backoffice import views

app_name = "budgets"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<int:module_pk>/", views.module_page, name="module"),
    path("<int:module_pk>/enveloppes/ajouter/", views.envelope_create, name="envelope_create"),
    path("<int:module_pk>/enveloppes/importer/", views.envelope_import, name="envelope_import"),
    path("<int:module_pk>/projets/ajouter/", views.project_create, name="project_create"),
    path("<int:module_pk>/projets/importer/", views.project_import, name="project_import"),
    path("<int:module_pk>/projets/propositions/", views.from_proposals, name="from_proposals"),
    path("<int:module_pk>/analyse/", views.analysis, name="analysis"),
    path("enveloppes/<int:pk>/modifier/", views.envelope_edit, name="envelope_edit"),
    path("enveloppes/<int:pk>/ouvrir-le-vote/", views.vote_open, name="vote_open"),
    path("enveloppes/<int:pk>/resultats/", views.envelope_results, name="envelope_results"),
    path("projets/<int:pk>/", views.project, name="project"),
]
# Labels of the links the back-office shows on the module's page (the pages taking ``module_pk``).
labels = {
    "module": _("Enveloppes et projets"),
    "envelope_create": _("Ajouter une enveloppe"),
    "envelope_import": _("Importer une enveloppe (Pabulib)"),
    "project_create": _("Ajouter un projet"),
    "project_import": _("Importer des projets (CSV)"),
    "from_proposals": _("Projets issus des propositions retenues"),
    "analysis": _("Analyse par les services"),
}
