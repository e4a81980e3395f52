"""Back-office pages of notifications, mounted under /gestion/messages/ by the root urlconf."""

from django.urls import URLPattern, URLResolver, path

from participe.notifications.backoffice import views

app_name = "notifications_backoffice"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.message_index, name="index"),
    path("espaces/<int:pk>/", views.message_list, name="space"),
    path("espaces/<int:pk>/ecrire/", views.message_compose, name="compose"),
    path("<int:pk>/", views.message_detail, name="detail"),
]
