from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from gaizao.catalog.api import WorkItemViewSet
from gaizao.communities.api import CommunityViewSet
from gaizao.core.api import not_found as api_not_found
from gaizao.core.views import health, home
from gaizao.planning.api import AssignmentViewSet, PlanViewSet, ProgrammeViewSet
from gaizao.regions.api import AreaViewSet
from gaizao.reports import api as reports_api
from gaizao.works import api as works_api
from gaizao.works.api import EntryViewSet, ProjectViewSet

router = DefaultRouter()
router.register("communities", CommunityViewSet, basename="community")
router.register("areas", AreaViewSet, basename="area")
router.register("work-items", WorkItemViewSet, basename="work-item")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("plans", PlanViewSet, basename="plan")
router.register("projects", ProjectViewSet, basename="project")
router.register("progress-entries", EntryViewSet, basename="progress-entry")

urlpatterns = [
    path("", home, name="home"),
    path("summary/", include("gaizao.reports.urls")),
    path("communities/", include("gaizao.communities.urls")),
    path("catalog/", include("gaizao.catalog.urls")),
    path("planning/", include("gaizao.planning.urls")),
    path("works/", include("gaizao.works.urls")),
    path("votes/", include(("gaizao.participation.urls_votes", "votes"))),
    path("r/", include(("gaizao.participation.urls_residents", "residents"))),
    path("feedback/", include(("gaizao.participation.urls_feedback", "feedback"))),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("api/summary/", reports_api.summary, name="api-summary"),
    path("api/progress/", works_api.progress, name="api-progress"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("gaizao.participation.api_urls")),
    path("api/", include(router.urls)),
    re_path(r"^api/", api_not_found),
]
