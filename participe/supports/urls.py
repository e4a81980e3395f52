from django.urls import URLPattern, URLResolver, path

from participe.supports import views

app_name = "supports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:content_type_id>/<int:object_id>/soutenir/", views.support_add_view, name="add"),
    path("<int:content_type_id>/<int:object_id>/retirer/", views.support_withdraw_view, name="withdraw"),
    path("module/<int:module_id>/", views.my_supports_view, name="mine"),
]
