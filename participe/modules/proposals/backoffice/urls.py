"""The proposals module's own back-office pages, under /gestion/m/proposals/."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from participe.modules.proposals.backoffice import data as backoffice_data
from participe.modules.proposals.backoffice import views as backoffice

app_name = "proposals"
urlpatterns = [
    path("", backoffice.index, name="index"),
    path("<int:module_pk>/propositions/", backoffice.proposal_list, name="list"),
    path("<int:module_pk>/reponses/", backoffice.answers, name="answers"),
    path("<int:module_pk>/saisir/", backoffice_data.create_on_behalf, name="create_on_behalf"),
    path("<int:module_pk>/import/", backoffice_data.import_csv, name="import"),
    path("<int:module_pk>/export.<str:fmt>", backoffice_data.export, name="export"),
    path("propositions/<int:pk>/", backoffice.proposal_detail, name="detail"),
]
# Labels of the links the back-office shows on the module's page (the pages taking ``module_pk``).
labels = {
    "list": _("Analyser et répondre aux propositions"),
    "answers": _("Réponses préparées à publier"),
    "create_on_behalf": _("Saisir une proposition reçue sur papier, au guichet ou en réunion"),
    "import": _("Importer des propositions (CSV)"),
}
