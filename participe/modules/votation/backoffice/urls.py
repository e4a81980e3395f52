"""The votation's back-office pages, under /gestion/m/votation/."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from participe.modules.votation.backoffice import views

app_name = "votation"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<int:module_pk>/", views.question, name="question"),
    path("<int:module_pk>/options/ajouter/", views.option_create, name="option_create"),
    path("<int:module_pk>/decision/", views.decision, name="decision"),
    path("options/<int:pk>/modifier/", views.option_edit, name="option_edit"),
    path("options/<int:pk>/supprimer/", views.option_delete, name="option_delete"),
]
# Labels of the links the back-office shows on the module's page (the pages taking ``module_pk``).
labels = {
    "question": _("Question, options et scrutin"),
    "option_create": _("Ajouter une option"),
    "decision": _("Décision de la collectivité"),
}
