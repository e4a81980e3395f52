from django.urls import URLPattern, URLResolver, path

from participe.moderation import views

app_name = "moderation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("signaler/<int:content_type_id>/<int:object_id>/", views.report_content, name="report"),
    path("signaler/<int:content_type_id>/<int:object_id>/merci/", views.report_done, name="report_done"),
    path("compte-bloque/", views.account_blocked, name="account_blocked"),
]
