"""Who the resident on this phone is: a household, kept in the session after identifying with an access code.

Residents have no accounts: the committee hands each household a one-time code (see access.py).
"""

from functools import wraps

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from rest_framework.authentication import SessionAuthentication

from gaizao.households.models import Household

SESSION_KEY = "resident_household_id"


def identify(request, household: Household) -> None:
    request.session.cycle_key()  # a new session id on identifying, like a login
    request.session[SESSION_KEY] = household.pk


def forget(request) -> None:
    request.session.pop(SESSION_KEY, None)


def current_household(request) -> Household | None:
    household_id = request.session.get(SESSION_KEY)
    if not household_id:
        return None
    return Household.objects.select_related("building__community").filter(pk=household_id).first()


def household_required(view):
    """For resident pages: the household is passed to the view; otherwise go to the community's entry page."""

    @wraps(view)
    def wrapper(request, code, *args, **kwargs):
        household = current_household(request)
        if household is None or household.building.community.code != code:
            return redirect("residents:entry", code=code)
        return view(request, code, household, *args, **kwargs)

    return wrapper


def enforce_csrf(request) -> None:
    """For the API: DRF checks CSRF only for logged-in users, and a household identified by its session cookie
    has no login, so its writes are checked here."""
    SessionAuthentication().enforce_csrf(request)


def not_identified_message() -> str:
    return _("Log in, or identify your household with the code from your residents' committee.")
