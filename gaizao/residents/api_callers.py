"""Who calls a residents' API (feedback, defects): a staff account in its scope, or a household identified on this
phone. Shared so that both APIs answer a stranger, a wrong community and a refusal in the same words."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from gaizao.residents.session import current_household, enforce_csrf


def caller(request, is_staff, refusal: str):
    """('staff', user) when ``is_staff(user)``; ('resident', household) for an identified household. Another signed-in
    account is refused with ``refusal``; nobody at all is asked to log in or identify."""
    user = request.user
    if user is not None and user.is_authenticated and is_staff(user):
        return "staff", user
    household = current_household(request)
    if household is not None:
        return "resident", household
    if user is not None and user.is_authenticated:
        raise ApiPermissionDenied(refusal)
    raise NotAuthenticated(_("Log in, or identify your household with the code from the residents' committee."))


def residents_community(request, household, code: str):
    """A resident reports for their own community only: the cookie's form check, then the code they wrote."""
    enforce_csrf(request)
    community = household.building.community
    if code != community.code:
        raise ApiValidationError({"community": [_("You report for your own community: write %(code)s.")
                                                % {"code": community.code}]})
    return community


def refused(error: ValidationError) -> Response:
    """A service's refusal as the API's 400: its sentences, in the caller's language."""
    return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
