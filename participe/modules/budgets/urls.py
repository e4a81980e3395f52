"""Public pages of a budget participatif, under the module's address (/demarches/<space>/<module>/)."""

from django.urls import URLPattern, path

from participe.modules.budgets import views

urlpatterns: list[URLPattern] = [
    path("enveloppes/<int:pk>/", views.envelope_detail, name="envelope"),
    path("enveloppes/<int:pk>/voter/", views.ballot, name="ballot"),
    path("enveloppes/<int:pk>/voter/confirmer/", views.confirm, name="confirm"),
    path("enveloppes/<int:pk>/projets-retenus/", views.results, name="results"),
    path("enveloppes/<int:pk>/vote.pb", views.pabulib_file, name="pabulib"),
    path("projets/<int:pk>/", views.project_detail, name="project"),
]
