from django.urls import path

from gaizao.planning import funding_views, views

app_name = "planning"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("programmes/<int:pk>/", views.board, name="board"),
    path("programmes/<int:pk>/pin/", views.pin, name="pin"),
    path("programmes/<int:pk>/run/", views.scenario_new, name="scenario_new"),
    path("programmes/<int:pk>/compare/", views.compare, name="compare"),
    path("programmes/<int:pk>/funding/<int:year>/", funding_views.funding_edit, name="funding"),
    path("programmes/<int:pk>/rules/", funding_views.rules_edit, name="rules"),
    path("programmes/<int:pk>/application.xlsx", funding_views.application_download, name="application"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario"),
    path("scenarios/<int:pk>/adopt/", views.scenario_adopt, name="adopt"),
    path("scenarios/<int:pk>/again/", funding_views.scenario_rerun, name="rerun"),
    path("communities/<str:code>/plan/", views.community_plan, name="community_plan"),
    path("communities/<str:code>/plan/action/", views.community_plan_action, name="community_plan_action"),
]
