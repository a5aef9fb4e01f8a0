from django.urls import path

from gaizao.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("export.xlsx", views.catalog_export, name="export"),
    path("import/", views.catalog_import, name="import"),
    path("new/", views.item_edit, name="create"),
    path("<str:code>/", views.item_edit, name="edit"),
]
