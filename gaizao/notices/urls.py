"""Notices: staff pages under /feedback/notices/ (where they have always been), residents' under
/feedback/notices/r/<code>/ (namespace "notices"), and the API."""

from django.urls import path

from gaizao.notices import api, views

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:pk>/end/", views.notice_end, name="end"),
    path("r/<str:code>/", views.resident_notices, name="resident_list"),
]

api_urlpatterns = [
    path("notices/", api.NoticeList.as_view(), name="api-notices"),
]
