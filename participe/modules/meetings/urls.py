"""Public pages of a meetings module, under /demarches/<space>/<module>/."""

from django.urls import URLPattern, path

from participe.modules.meetings import views

urlpatterns: list[URLPattern] = [
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/reunion.ics", views.meeting_ics, name="meeting_ics"),
    path("<int:pk>/inscription/", views.register, name="register"),
    path("<int:pk>/desinscription/", views.cancel, name="cancel"),
]
