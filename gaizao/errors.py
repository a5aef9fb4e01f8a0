"""The error pages (handler400/403/404/500 in urls.py, and CSRF_FAILURE_VIEW): why it happened and what to do
next, in the user's language. Staff read them in the site's layout; a resident on a phone page (/r/<code>/…,
/votes/r/…, /feedback/r/…) reads a large-type page that names whom to call. Under /api/ the answer is JSON.

This module sits beside urls.py, above every app: the resident version needs the community and its committees."""

import re

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from gaizao.core import clock
from gaizao.core.middleware import UnreadableAddress, current_request_id

# A resident's page: /r/<code>/… (but not the staff pages under /r/manage/), and the apps' pages for residents.
RESIDENT_PATH = re.compile(r"^/(?:votes/|feedback/(?:notices/)?|defects/)?r/(?!manage/)(?P<code>[^/]+)/")


def resident_code(path: str) -> str | None:
    """The community code in a resident page's address, or None for a staff page."""
    found = RESIDENT_PATH.match(path)
    return found["code"] if found else None


def _texts(status: int, resident: bool) -> dict:
    """Title, why and the next steps of each error, for staff or for a resident."""
    if status == 400:
        return {"title": _("The request could not be read"),
                "reason": _("The address or the form sent something this page cannot read: often a link copied "
                            "only in part, or a form sent from an old page."),
                "steps": [_("Go back, reload the page and try again.")]}
    if status == 403:
        if resident:
            return {"title": _("This page is not open to you"),
                    "reason": _("Each household sees only its own community's pages and its own answers."),
                    "steps": [_("Scan the QR code in your stairwell again and enter with your code.")]}
        return {"title": _("You may not open this page"),
                "reason": _("Your account's role or area does not include this page or this community."),
                "steps": [_("If you need it for your work, ask the district housing bureau to change your role or "
                            "area."), _("Or log in with another account.")]}
    if status == 404:
        if resident:
            return {"title": _("This page was not found"),
                    "reason": _("The QR code or the link may be damaged, mistyped or out of date."),
                    "steps": [_("Scan the QR code in your stairwell again.")]}
        return {"title": _("Page not found"),
                "reason": _("The address is wrong or out of date, or the item is outside what your account may "
                            "see."),
                "steps": [_("Check the address, or start again from your home page.")]}
    return {"title": _("Something went wrong on our side"),
            "reason": _("The server could not finish this page. It is not your mistake, and the error has been "
                        "recorded."),
            "steps": [_("Try again in a few minutes.")]}


def _contacts(code: str | None) -> dict:
    """Whom a resident calls: the community's committees and its sub-district office, when the code is known."""
    from gaizao.communities.models import Community
    from gaizao.households.models import Committee

    community = (Community.objects.select_related("subdistrict").filter(code=code).first()
                 if code and "\x00" not in code else None)
    if community is None:
        return {"community": {"name": _("Residents' page")}, "known": None, "committees": [], "office": ""}
    committees = list(Committee.objects.filter(community=community).order_by("pk").values_list("name", flat=True))
    return {"community": community, "known": community, "committees": committees,
            "office": community.subdistrict.name if community.subdistrict_id else ""}


def _api_answer(status: int, reason: str) -> JsonResponse:
    return JsonResponse({"detail": reason}, status=status)


def _page(request, status: int, reason: str = ""):
    """A 400, 403 or 404 page; `reason` (a sentence of ours, e.g. a service's refusal) replaces the general one."""
    code = resident_code(request.path)
    texts = _texts(status, resident=code is not None)
    if reason:
        texts["reason"] = reason
    if request.path.startswith("/api/"):
        return _api_answer(status, texts["reason"])
    context = {**texts, "status": status, "request_id": current_request_id()}
    if code is not None:
        return render(request, "errors/resident.html", {**context, **_contacts(code)}, status=status)
    return render(request, "errors/page.html", context, status=status)


def _own_sentence(exception) -> str:
    """A PermissionDenied raised by our services carries a translated sentence; a bare one carries nothing.
    Django's own messages (Http404's "No Community matches…") are English internals and never shown."""
    if exception is None or not exception.args or not isinstance(exception.args[0], str):
        return ""
    return exception.args[0]


def bad_request(request, exception=None):
    return _page(request, 400, _own_sentence(exception) if isinstance(exception, UnreadableAddress) else "")


def permission_denied(request, exception=None):
    return _page(request, 403, _own_sentence(exception))


def page_not_found(request, exception=None):
    return _page(request, 404)


def csrf_failure(request, reason=""):
    """Django's CSRF refusal: usually a form left open for long, or opened before logging in again."""
    return _page(request, 403, _("The form had expired or came from another page. Reload the page and send it "
                                 "again."))


def server_error(request):
    """A 500 must not fail in turn: no database query and no context processor (the request's own may be what
    broke), one self-contained template; the clock's banner only if the day is known without trouble."""
    texts = _texts(500, resident=resident_code(request.path) is not None)
    if request.path.startswith("/api/"):
        return _api_answer(500, texts["reason"])
    try:
        platform_day = clock.set_day()
    except Exception:  # the database itself may be what failed
        platform_day = None
    context = {**texts, "resident": resident_code(request.path) is not None, "platform_day": platform_day,
               "request_id": current_request_id()}
    return HttpResponseServerError(loader.get_template("500.html").render(context))
