from django.urls import path

from gaizao.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("export.xlsx", views.summary_export, name="summary_export"),
]
