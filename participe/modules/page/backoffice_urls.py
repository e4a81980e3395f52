from django.urls import path

from participe.modules.page import views

app_name = "page"
urlpatterns = [path("<int:module_pk>/contenu/", views.page_edit, name="edit")]
