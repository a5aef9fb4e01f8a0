"""A department's member reaches the joint meeting's pages only.

Departments and utilities (the water company, the power company …) are outside bodies with an account. Every
page scopes its own records, and most would show such an account an empty list; but the census, the programme,
the bulletin and the residents' register are not theirs to browse, and a page added later must not show them
anything by an oversight in its scoping. So the rule is an allow-list, in one place: the joint meeting's pages
and API, the site's own (home, login, language, health, the API's description, the admin's own login), and the
residents' public phone pages, which answer them as they answer anyone without a household. Everything else is
a 403 (JSON under /api/).
"""

import re

from django.core.exceptions import PermissionDenied

NAMESPACES = {"coordination", "admin"}
NAMES = {"home", "login", "logout", "set_language", "health", "favicon", "api-schema", "api-docs",
         "communities:template"}
API_PREFIXES = ("department-", "meeting-", "coordination-item-", "utility-work-")
# The residents' phone pages: /r/<code>/…, and each app's /<app>/r/<code>/… (/votes/r/, /feedback/notices/r/,
# /defects/r/ …), but not the staff pages under /r/manage/.
RESIDENT_PAGE = re.compile(r"^/(?:[a-z-]+/){0,2}r/(?!manage/)[^/]+/")


def allowed(match, path: str) -> bool:
    if match is None:
        return False
    if NAMESPACES & set(match.namespaces):
        return True
    if match.view_name in NAMES or (not match.namespaces and match.url_name
                                    and match.url_name.startswith(API_PREFIXES)):
        return True
    return RESIDENT_PAGE.match(path) is not None


def _token_user(request):
    """A system calling the API with a department member's token (DRF reads tokens only inside the view)."""
    if not request.path_info.startswith("/api/") or not request.META.get("HTTP_AUTHORIZATION"):
        return None
    from rest_framework.authentication import TokenAuthentication
    from rest_framework.exceptions import AuthenticationFailed

    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None  # the view refuses it
    return found[0] if found else None


class DepartmentScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = _token_user(request) or getattr(request, "user", None)
        if user is None or not user.is_authenticated or getattr(user, "role", "") != "department_member":
            return None
        if not allowed(request.resolver_match, request.path_info):
            raise PermissionDenied
        return None
