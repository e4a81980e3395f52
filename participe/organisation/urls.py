from django.urls import path

from participe.organisation import views

urlpatterns = [
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("theme.css", views.theme_css, name="theme_css"),
]
