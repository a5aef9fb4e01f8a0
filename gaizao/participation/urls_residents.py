"""Residents' pages under /r/ (namespace "residents"), the staff pages that run them, and their API routes."""

from django.urls import path

from gaizao.participation import resident_views as views

urlpatterns = [
    # Staff: households register, committee, codes, surveys (scope: bureau, officer, committee member).
    path("manage/", views.manage_index, name="manage_index"),
    path("manage/households-template.xlsx", views.households_template, name="households_template"),
    path("manage/satisfaction/", views.satisfaction_overview, name="satisfaction"),
    path("manage/<str:code>/", views.manage, name="manage"),
    path("manage/<str:code>/households.xlsx", views.households_export, name="households_export"),
    path("manage/<str:code>/import/", views.households_import, name="households_import"),
    path("manage/<str:code>/committee/", views.committee, name="committee"),
    path("manage/<str:code>/codes/", views.codes, name="codes"),
    path("manage/<str:code>/surveys/new/", views.survey_create, name="survey_create"),
    path("manage/<str:code>/surveys/<int:survey_id>/", views.survey_detail, name="survey"),
    path("manage/<str:code>/surveys/<int:survey_id>/paper/", views.survey_paper, name="survey_paper"),
    # Residents on the phone: the QR code leads to the entry page of their community.
    path("<str:code>/", views.entry, name="entry"),
    path("<str:code>/home/", views.home, name="home"),
    path("<str:code>/leave/", views.leave, name="leave"),
    path("<str:code>/surveys/<int:survey_id>/", views.survey_answer, name="survey_answer"),
    path("<str:code>/qr/", views.qr_page, name="qr"),
    path("<str:code>/qr.svg", views.qr_svg, name="qr_svg"),
]

api_urlpatterns = [
    path("surveys/", views.SurveyList.as_view(), name="api-surveys"),
    path("surveys/<int:survey_id>/responses/", views.SurveyResponseCreate.as_view(), name="api-survey-responses"),
    path("surveys/<int:survey_id>/results/", views.SurveyResults.as_view(), name="api-survey-results"),
    path("households/", views.HouseholdList.as_view(), name="api-households"),
]
