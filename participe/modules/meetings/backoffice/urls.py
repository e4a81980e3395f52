from django.urls import path
from django.utils.translation import gettext_lazy as _

from participe.modules.meetings.backoffice import views

app_name = "meetings"
urlpatterns = [
    path("", views.index, name="index"),
    path("module/<int:module_pk>/", views.module_meetings, name="meetings"),
    path("module/<int:module_pk>/nouvelle/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_edit, name="edit"),
    path("<int:pk>/annuler/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/inscriptions/", views.registrations, name="registrations"),
    path("<int:pk>/inscriptions/<int:registration_pk>/annuler/", views.registration_cancel, name="registration_cancel"),
    path("<int:pk>/compte-rendu/", views.minutes, name="minutes"),
    path("<int:pk>/contributions/", views.contributions, name="contributions"),
]
# Labels of the links the back-office shows on the module's page.
labels = {"meetings": _("Réunions et inscriptions"), "create": _("Annoncer une réunion")}
