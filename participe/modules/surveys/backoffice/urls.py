"""The surveys module's own back-office pages, under /gestion/m/surveys/."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from participe.modules.surveys.backoffice import views as backoffice

app_name = "surveys"
urlpatterns: list[URLPattern] = [
    # The questionnaire builder.
    path("<int:module_pk>/questionnaire/", backoffice.questionnaire, name="questionnaire"),
    path("<int:module_pk>/questionnaire/ajouter/", backoffice.question_create, name="question_create"),
    path("questionnaires/<int:pk>/presentation/", backoffice.questionnaire_edit, name="questionnaire_edit"),
    path("questionnaires/<int:pk>/dupliquer/", backoffice.questionnaire_duplicate, name="questionnaire_duplicate"),
    path("questionnaires/<int:pk>/reponses-de-test/", backoffice.test_responses_clear, name="test_responses_clear"),
    path("questions/<int:pk>/modifier/", backoffice.question_edit, name="question_edit"),
    path("questions/<int:pk>/type/", backoffice.question_kind, name="question_kind"),
    path("questions/<int:pk>/condition/", backoffice.question_condition, name="question_condition"),
    path("questions/<int:pk>/deplacer/", backoffice.question_move, name="question_move"),
    path("questions/<int:pk>/dupliquer/", backoffice.question_duplicate, name="question_duplicate"),
    path("questions/<int:pk>/supprimer/", backoffice.question_delete, name="question_delete"),
]
# Labels of the links the back-office shows on the module's page (the pages taking ``module_pk``).
labels = {
    "questionnaire": _("Construire le questionnaire"),
    "question_create": _("Ajouter une question"),
}

# Results, free-text answers and exports.
from participe.modules.surveys.views import results as results_views  # noqa: E402

urlpatterns += [
    path("<int:module_pk>/resultats/", results_views.results, name="results"),
    path("<int:module_pk>/exports/", results_views.export_list, name="exports"),
    path("questions/<int:pk>/reponses/", results_views.question_answers, name="question_answers"),
    path("reponses/<int:pk>/fichier/", results_views.answer_file, name="answer_file"),
    path("exports/<int:pk>/progression/", results_views.export_progress, name="export_progress"),
    path("exports/<int:pk>/telecharger/", results_views.export_download, name="export_download"),
    path("exports/<int:pk>/supprimer/", results_views.export_delete, name="export_delete"),
]
labels |= {"results": _("Voir les résultats"), "exports": _("Exporter les réponses (CSV, JSON)")}
