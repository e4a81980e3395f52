"""Back-office pages of moderation, mounted under /gestion/moderation/ by the root urlconf."""

from django.urls import URLPattern, URLResolver, path

from participe.moderation.backoffice import views

app_name = "moderation_backoffice"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/corriger/", views.case_edit, name="case_edit"),
    path("<int:pk>/<slug:action>/", views.case_action, name="case_action"),
    path("comptes/<int:user_pk>/", views.user_block, name="user_block"),
]
