"""Feedback (诉求): staff pages under /feedback/, residents' under /feedback/r/<code>/, and the API."""

from django.urls import path

from gaizao.feedback import api, views

urlpatterns = [
    path("", views.feedback_list, name="list"),
    path("<int:pk>/", views.feedback_detail, name="detail"),
    path("<int:pk>/photo/", views.feedback_photo, name="photo"),
    path("r/<str:code>/new/", views.resident_new, name="new"),
    path("r/<str:code>/mine/", views.resident_mine, name="mine"),
    path("r/<str:code>/<int:pk>/confirm/", views.resident_confirm, name="confirm"),
]

api_urlpatterns = [
    path("feedback/", api.FeedbackListCreate.as_view(), name="api-feedback"),
    path("feedback/<int:pk>/answer/", api.feedback_answer, name="api-feedback-answer"),
    path("feedback/<int:pk>/confirm/", api.feedback_confirm, name="api-feedback-confirm"),
]
