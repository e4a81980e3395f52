from django.urls import URLPattern, URLResolver, path

from participe.attachments import views

app_name = "attachments"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:content_type_id>/<int:object_id>/ajouter/", views.attachment_add, name="add"),
    path("<int:pk>/", views.attachment_file, name="file"),
    path("<int:pk>/miniature/", views.attachment_thumbnail, name="thumbnail"),
    path("<int:pk>/retirer/", views.attachment_remove, name="remove"),
    path("<int:pk>/deplacer/", views.attachment_move, name="move"),
]
