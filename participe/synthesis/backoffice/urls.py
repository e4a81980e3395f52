"""Back-office pages of the syntheses, mounted under /gestion/syntheses/ by the root urlconf."""

from django.urls import URLPattern, path

from participe.synthesis.backoffice import views

app_name = "synthesis_backoffice"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("nouvelle/", views.start, name="start"),
    path("import/<slug:slug>/", views.import_view, name="import"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/texte/", views.edit_text, name="text"),
    path("<int:pk>/publier/", views.publish, name="publish"),
    path("<int:pk>/retirer/", views.unpublish, name="unpublish"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("<int:pk>/fusionner/", views.merge, name="merge"),
    path("<int:pk>/hors-themes/", views.unthemed, name="unthemed"),
    path("<int:pk>/themes.csv", views.export, name="export"),
    path("themes/<int:pk>/", views.theme, name="theme"),
    path("themes/<int:pk>/renommer/", views.rename, name="rename"),
    path("themes/<int:pk>/separer/", views.split, name="split"),
    path("contributions/<int:pk>/", views.entry_action, name="entry"),
]
