from django.urls import path

from gaizao.works import views, views_acceptance, views_files, views_reports

app_name = "works"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("dashboard/", views_reports.dashboard, name="dashboard"),
    path("dashboard/map.json", views_reports.dashboard_map, name="dashboard_map"),
    path("bulletin/", views_reports.bulletin, name="bulletin"),
    path("bulletin/lagging/", views_reports.lagging, name="lagging"),
    path("bulletin.docx", views_reports.bulletin_docx, name="bulletin_docx"),
    path("bulletin.xlsx", views_reports.bulletin_xlsx, name="bulletin_xlsx"),
    path("acceptance-settings/", views_acceptance.settings_page, name="acceptance_settings"),
    path("<str:code>/", views.project_detail, name="detail"),
    path("<str:code>/report/", views.report, name="report"),
    path("<str:code>/complete/", views.complete, name="complete"),
    path("<str:code>/correct/<int:entry_id>/", views.correct_entry, name="correct"),
    path("<str:code>/acceptance/", views_acceptance.acceptance, name="acceptance"),
    path("<str:code>/acceptance/correct/", views_acceptance.correct, name="acceptance_correct"),
    path("<str:code>/photos/<int:photo_id>/", views_files.photo, name="photo"),
    path("<str:code>/documents/<int:document_id>/", views_files.document, name="document"),
]
