from django.urls import path
from django.utils.translation import gettext_lazy as _

from participe.modules.page.backoffice import views

app_name = "page"
urlpatterns = [path("<int:module_pk>/contenu/", views.page_edit, name="edit")]
# Labels of the links the back-office shows on the module's page.
labels = {"edit": _("Rédiger le contenu de la page")}
