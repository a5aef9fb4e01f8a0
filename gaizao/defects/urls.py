"""Defects (质量缺陷报修): staff pages under /defects/, residents' under /defects/r/<code>/, and the API."""

from django.urls import path

from gaizao.defects import api, views, views_resident

app_name = "defects"

urlpatterns = [
    path("", views.defect_list, name="list"),
    path("report/", views.staff_report, name="report"),
    path("settings/", views.settings_view, name="settings"),
    path("<int:pk>/", views.defect_detail, name="detail"),
    path("photos/<int:pk>/", views.defect_photo, name="photo"),
    path("r/<str:code>/new/", views_resident.resident_new, name="new"),
    path("r/<str:code>/mine/", views_resident.resident_mine, name="mine"),
    path("r/<str:code>/<int:pk>/confirm/", views_resident.resident_confirm, name="confirm"),
]

api_urlpatterns = [
    path("defects/", api.DefectListCreate.as_view(), name="api-defects"),
    path("defects/items/", api.reportable_items, name="api-defect-items"),
    path("defects/<int:pk>/answer/", api.defect_answer, name="api-defect-answer"),
    path("defects/<int:pk>/confirm/", api.defect_confirm, name="api-defect-confirm"),
]
