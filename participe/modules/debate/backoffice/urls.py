"""The debate's own back-office pages, under /gestion/m/debate/."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from participe.modules.debate.backoffice import views as backoffice

app_name = "debate"
urlpatterns = [
    path("<int:module_pk>/sujets/", backoffice.subject_list, name="subjects"),
    path("<int:module_pk>/sujets/ajouter/", backoffice.subject_create, name="subject_create"),
    path("sujets/<int:pk>/modifier/", backoffice.subject_edit, name="subject_edit"),
    path("sujets/<int:pk>/publication/", backoffice.subject_status, name="subject_status"),
    path("sujets/<int:pk>/deplacer/", backoffice.subject_move, name="subject_move"),
    path("sujets/<int:pk>/supprimer/", backoffice.subject_delete, name="subject_delete"),
    path("sujets/<int:pk>/synthese/", backoffice.synthesis, name="synthesis"),
]
# Labels of the links the back-office shows on the module's page (the pages taking ``module_pk``).
labels = {"subjects": _("Gérer les questions et les synthèses"), "subject_create": _("Poser une nouvelle question")}
