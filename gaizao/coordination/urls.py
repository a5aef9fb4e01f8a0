"""The joint meeting: pages under /coordination/, and the API routes (`api_urlpatterns`, under /api/)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from gaizao.coordination import api, views, views_correct, views_utility

urlpatterns = [
    path("", views.item_list, name="items"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("items/<int:pk>/correct/", views_correct.item_correct, name="item_correct"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("ranking/", views.ranking, name="ranking"),
    path("utility-works/", views_utility.work_list, name="works"),
    path("utility-works/new/", views_utility.work_new, name="work_new"),
    path("utility-works/<int:pk>/", views_utility.work_detail, name="work"),
    path("utility-works/<int:pk>/report/", views_utility.work_report, name="work_report"),
    path("utility-works/<int:pk>/correct/<int:entry_id>/", views_utility.work_correct, name="work_correct"),
    path("utility-works/<int:pk>/photos/<int:photo_id>/", views_utility.work_photo, name="work_photo"),
]

router = SimpleRouter()
router.register("departments", api.DepartmentViewSet, basename="department")
router.register("meetings", api.MeetingViewSet, basename="meeting")
router.register("coordination-items", api.ItemViewSet, basename="coordination-item")
router.register("utility-works", api.WorkViewSet, basename="utility-work")

api_urlpatterns = [path("", include(router.urls))]
