"""Public pages of the commitments, mounted under /engagements/ by the root urlconf."""

from django.urls import URLPattern, path

from participe.commitments import views

app_name = "commitments"
urlpatterns: list[URLPattern] = [
    path("", views.follow_up, name="follow_up"),
    path("engagements.<str:fmt>", views.export, name="export"),
    path("demarche/<slug:slug>/", views.space_list, name="space"),
    # The bilan moved to /bilans/<slug>/ (participe.restitution).
    path("demarche/<slug:slug>/bilan/", views.bilan_moved, name="bilan_moved"),
    path("demarche/<slug:slug>/bilan.pdf", views.bilan_moved, {"suffix": ".pdf"}, name="bilan_pdf_moved"),
    path("<int:pk>/", views.detail, name="detail"),
]
