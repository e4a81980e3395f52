"""Public pages of the surveys module, mounted under the module's address (/demarches/<slug>/<module_slug>/)."""

from django.urls import URLPattern, path

from participe.modules.surveys.views import answering as views

urlpatterns: list[URLPattern] = []

# Answering: one page per section, the receipt, one's own answers, files sent with an answer.
urlpatterns += [
    path("repondre/<int:page>/", views.answer, name="answer"),
    path("repondre/effacer/", views.discard, name="discard"),
    path("recu/<uuid:receipt>/", views.receipt, name="receipt"),
    path("mes-reponses/", views.mine, name="mine"),
    path("reponses/fichiers/<int:pk>/", views.answer_file, name="answer_file"),
]

# Results: published results and the aggregated counts as open data.
from participe.modules.surveys.views import results as results_views  # noqa: E402

urlpatterns += [
    path("resultats/", results_views.public_results, name="results"),
    path("resultats.<str:extension>", results_views.open_data, name="open_data"),
]
