from django.urls import path

from gaizao.rollup import views

app_name = "rollup"

urlpatterns = [
    path("", views.index, name="index"),
    path("monthly/", views.monthly_report, name="monthly"),
    path("monthly/report.xlsx", views.monthly_export, name="monthly_export"),
    path("<str:code>/", views.area, name="area"),
    path("<str:code>/export.xlsx", views.area_export, name="area_export"),
]
