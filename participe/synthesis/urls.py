"""Public pages of the syntheses, mounted under /syntheses/ by the root urlconf."""

from django.urls import URLPattern, path

from participe.synthesis import views

app_name = "synthesis"
urlpatterns: list[URLPattern] = [
    path("<int:pk>/", views.detail, name="detail"),
    path("demarche/<slug:slug>/", views.space_list, name="space"),
    path("importees/<int:pk>/", views.imported, name="imported"),
]
