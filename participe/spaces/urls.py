from django.urls import path

from participe.spaces import views

app_name = "spaces"
urlpatterns = [
    path("", views.space_list, name="list"),
    path("<slug:slug>/", views.space_detail, name="detail"),
    path("<slug:slug>/actualites/<int:pk>/", views.news_detail, name="news"),
    path("<slug:slug>/<slug:module_slug>/", views.module_detail, name="module"),
]
