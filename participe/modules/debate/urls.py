"""Public pages of a debate, mounted under the module's address (/demarches/<slug>/<module_slug>/)."""

from django.urls import path

from participe.modules.debate import views

urlpatterns = [path("sujets/<int:pk>/", views.subject_detail, name="subject")]
