from django.urls import path

from tests.orgapp import views

urlpatterns = [path("element/<int:pk>/", views.item, name="item")]
