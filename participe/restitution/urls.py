"""Public pages of the bilans, mounted under /bilans/ by the root urlconf."""

from django.urls import URLPattern, path

from participe.restitution import views

app_name = "restitution"
urlpatterns: list[URLPattern] = [
    path("<slug:slug>/", views.bilan, name="bilan"),
    path("<slug:slug>/bilan.pdf", views.bilan_pdf, name="bilan_pdf"),
]
