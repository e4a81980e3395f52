"""Back-office pages of the commitments, mounted under /gestion/engagements/ by the root urlconf."""

from django.urls import URLPattern, path

from participe.commitments.backoffice import views

app_name = "commitments_backoffice"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("nouveau/", views.create, name="create"),
    path("import/", views.import_view, name="import"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/etape/", views.update_add, name="update_add"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("<int:pk>/sources/", views.source_add, name="source_add"),
    path("<int:pk>/sources/<int:source_pk>/retirer/", views.source_remove, name="source_remove"),
    path("etapes/<int:pk>/supprimer/", views.update_delete, name="update_delete"),
]
