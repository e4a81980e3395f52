"""Back-office pages of routing to services, mounted under /gestion/file-d-attente/ by the root urlconf."""

from django.urls import URLPattern, URLResolver, path

from participe.assignments.backoffice import views

app_name = "assignments_backoffice"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.queue, name="queue"),
    path("notes/<int:pk>/supprimer/", views.note_delete, name="note_delete"),
]
