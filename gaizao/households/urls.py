"""Staff pages of the households register, under /r/ (namespace "households"), and its API route."""

from django.urls import path

from gaizao.households import api, views

urlpatterns = [
    path("manage/", views.manage_index, name="manage_index"),
    path("manage/households-template.xlsx", views.households_template, name="households_template"),
    path("manage/<str:code>/", views.manage, name="manage"),
    path("manage/<str:code>/households.xlsx", views.households_export, name="households_export"),
    path("manage/<str:code>/reveal/", views.reveal, name="reveal"),
    path("manage/<str:code>/import/", views.households_import, name="households_import"),
    path("manage/<str:code>/committee/", views.committee, name="committee"),
    path("manage/<str:code>/codes/", views.codes, name="codes"),
    path("<str:code>/qr/", views.qr_page, name="qr"),
    path("<str:code>/qr.svg", views.qr_svg, name="qr_svg"),
]

api_urlpatterns = [
    path("households/", api.HouseholdList.as_view(), name="api-households"),
]
