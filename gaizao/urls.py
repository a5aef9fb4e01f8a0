from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from gaizao.aftercare.api import ArrangementViewSet
from gaizao.catalog.api import WorkItemViewSet
from gaizao.communities.api import CommunityViewSet
from gaizao.coordination import urls as coordination_urls
from gaizao.core.api import not_found as api_not_found
from gaizao.core.views import health, home
from gaizao.defects import urls as defects_urls
from gaizao.feedback import urls as feedback_urls
from gaizao.households import urls as households_urls
from gaizao.notices import urls as notices_urls
from gaizao.planning.api import AssignmentViewSet, PlanViewSet, ProgrammeViewSet, ScenarioViewSet
from gaizao.regions.api import AreaViewSet
from gaizao.reports import api as reports_api
from gaizao.surveys import urls as surveys_urls
from gaizao.votes import urls as votes_urls
from gaizao.works import api as works_api
from gaizao.works.api import EntryViewSet, ProjectViewSet

router = DefaultRouter()
router.register("communities", CommunityViewSet, basename="community")
router.register("areas", AreaViewSet, basename="area")
router.register("work-items", WorkItemViewSet, basename="work-item")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("plans", PlanViewSet, basename="plan")
router.register("scenarios", ScenarioViewSet, basename="scenario")
router.register("projects", ProjectViewSet, basename="project")
router.register("progress-entries", EntryViewSet, basename="progress-entry")
router.register("management-arrangements", ArrangementViewSet, basename="management-arrangement")

urlpatterns = [
    path("", home, name="home"),
    path("summary/", include("gaizao.reports.urls")),
    path("communities/", include("gaizao.communities.urls")),
    path("catalog/", include("gaizao.catalog.urls")),
    path("planning/", include("gaizao.planning.urls")),
    path("works/", include("gaizao.works.urls")),
    path("aftercare/", include("gaizao.aftercare.urls")),
    path("defects/", include("gaizao.defects.urls")),
    path("rollup/", include("gaizao.rollup.urls")),
    path("votes/", include(("gaizao.votes.urls", "votes"))),
    # Under /r/ the fixed paths (manage/satisfaction/, manage/<code>/surveys/) come before the patterns that
    # take any community code, and the portal's /r/<code>/ comes last.
    path("r/", include(("gaizao.surveys.urls", "surveys"))),
    path("r/", include(("gaizao.households.urls", "households"))),
    path("r/", include(("gaizao.residents.urls", "residents"))),
    path("feedback/notices/", include(("gaizao.notices.urls", "notices"))),
    path("feedback/", include(("gaizao.feedback.urls", "feedback"))),
    path("coordination/", include((coordination_urls.urlpatterns, "coordination"))),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    # Browsers ask for /favicon.ico whatever the page names; send them to the icon the pages use.
    path("favicon.ico", RedirectView.as_view(url=static("gaizao/favicon.svg"), permanent=True), name="favicon"),
    path("api/summary/", reports_api.summary, name="api-summary"),
    path("api/progress/", works_api.progress, name="api-progress"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema", template_name="api/docs.html"),
         name="api-docs"),
    path("api/", include(votes_urls.api_urlpatterns + surveys_urls.api_urlpatterns
                         + households_urls.api_urlpatterns + feedback_urls.api_urlpatterns
                         + notices_urls.api_urlpatterns + coordination_urls.api_urlpatterns
                         + defects_urls.api_urlpatterns)),
    path("api/", include(router.urls)),
    re_path(r"^api/", api_not_found),
]

# Why it went wrong and what to do next, in the user's language; a resident's version on the phone pages.
handler400 = "gaizao.errors.bad_request"
handler403 = "gaizao.errors.permission_denied"
handler404 = "gaizao.errors.page_not_found"
handler500 = "gaizao.errors.server_error"
