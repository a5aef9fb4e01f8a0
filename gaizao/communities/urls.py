from django.urls import path

from gaizao.communities import views

app_name = "communities"

urlpatterns = [
    path("", views.community_list, name="list"),
    path("export.xlsx", views.community_export, name="export"),
    path("map.json", views.community_map, name="map"),
    path("new/", views.community_edit, name="create"),
    path("import/", views.census_import, name="import"),
    path("import/<uuid:job_id>/", views.census_import_job, name="import_job"),
    path("import/<uuid:job_id>/confirm/", views.census_import_confirm, name="import_confirm"),
    path("template.xlsx", views.census_template, name="template"),
    path("<str:code>/", views.community_detail, name="detail"),
    path("<str:code>/edit/", views.community_edit, name="edit"),
    path("<str:code>/delete/", views.community_delete, name="delete"),
    path("<str:code>/buildings/new/", views.building_edit, name="building_create"),
    path("<str:code>/buildings/<int:building_id>/edit/", views.building_edit, name="building_edit"),
    path("<str:code>/buildings/<int:building_id>/delete/", views.building_delete, name="building_delete"),
]
