"""Survey pages under /r/ (namespace "surveys"): staff under /r/manage/, residents under /r/<code>/surveys/."""

from django.urls import path

from gaizao.surveys import api, views

urlpatterns = [
    path("manage/satisfaction/", views.satisfaction_overview, name="satisfaction"),
    path("manage/<str:code>/surveys/new/", views.survey_create, name="survey_create"),
    path("manage/<str:code>/surveys/<int:survey_id>/", views.survey_detail, name="survey"),
    path("manage/<str:code>/surveys/<int:survey_id>/paper/", views.survey_paper, name="survey_paper"),
    path("<str:code>/surveys/<int:survey_id>/", views.survey_answer, name="survey_answer"),
]

api_urlpatterns = [
    path("surveys/", api.SurveyList.as_view(), name="api-surveys"),
    path("surveys/<int:survey_id>/responses/", api.SurveyResponseCreate.as_view(), name="api-survey-responses"),
    path("surveys/<int:survey_id>/results/", api.SurveyResults.as_view(), name="api-survey-results"),
]
