"""Pages under /aftercare/ (namespace "aftercare"); the API's routes are registered in gaizao/urls.py."""

from django.urls import path

from gaizao.aftercare import views

app_name = "aftercare"

urlpatterns = [
    path("", views.arrangement_list, name="list"),
    path("settings/", views.settings_page, name="settings"),
    path("<str:code>/", views.community_detail, name="community"),
    path("<str:code>/new/", views.arrangement_new, name="new"),
    path("<str:code>/<int:pk>/edit/", views.arrangement_edit, name="edit"),
    path("<str:code>/<int:pk>/agreement/", views.agreement, name="agreement"),
]
