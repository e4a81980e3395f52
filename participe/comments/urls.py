from django.urls import URLPattern, URLResolver, path

from participe.comments import views

app_name = "comments"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:content_type_id>/<int:object_id>/", views.thread, name="thread"),
    path("<int:content_type_id>/<int:object_id>/ajouter/", views.create, name="create"),
    path("<int:pk>/repondre/", views.reply, name="reply"),
    path("<int:pk>/reponses/", views.replies, name="replies"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
]
