"""Back-office pages of the bilans, mounted under /gestion/bilans/ by the root urlconf."""

from django.urls import URLPattern, path

from participe.restitution.backoffice import views

app_name = "restitution_backoffice"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.edit, name="edit"),
    path("<slug:slug>/publier/", views.publish, name="publish"),
    path("<slug:slug>/retirer/", views.unpublish, name="unpublish"),
    path("<slug:slug>/bilan.docx", views.docx, name="docx"),
]
