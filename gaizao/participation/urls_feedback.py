"""Feedback (诉求) and notices: staff pages under /feedback/, residents' under /feedback/r/<code>/, and the API."""

from django.urls import path

from gaizao.participation import feedback_views as views

urlpatterns = [
    path("", views.feedback_list, name="list"),
    path("<int:pk>/", views.feedback_detail, name="detail"),
    path("<int:pk>/photo/", views.feedback_photo, name="photo"),
    path("r/<str:code>/new/", views.resident_new, name="new"),
    path("r/<str:code>/mine/", views.resident_mine, name="mine"),
    path("r/<str:code>/<int:pk>/confirm/", views.resident_confirm, name="confirm"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/end/", views.notice_end, name="notice_end"),
    path("notices/r/<str:code>/", views.resident_notices, name="resident_notices"),
]

api_urlpatterns = [
    path("feedback/", views.FeedbackListCreate.as_view(), name="api-feedback"),
    path("feedback/<int:pk>/answer/", views.feedback_answer, name="api-feedback-answer"),
    path("feedback/<int:pk>/confirm/", views.feedback_confirm, name="api-feedback-confirm"),
    path("notices/", views.NoticeList.as_view(), name="api-notices"),
]
