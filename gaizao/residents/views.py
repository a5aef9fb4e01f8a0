"""The residents' phone pages: entry with a one-time code, home (the sections other apps add), leave."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaizao.communities.models import Community
from gaizao.households import access
from gaizao.households.forms import household_label
from gaizao.residents import portal
from gaizao.residents.forms import IdentifyForm
from gaizao.residents.session import current_household, forget, household_required, identify


def _public_community(code) -> Community:
    return get_object_or_404(Community.objects.select_related("subdistrict__parent"), code=code)


def entry(request, code):
    """The QR code's page: the community's name and the form to identify a household with a code."""
    community = _public_community(code)
    household = current_household(request)
    if request.method == "GET" and household is not None and household.building.community_id == community.pk:
        return redirect("residents:home", code=code)
    form = IdentifyForm(request.POST or None, community=community)
    problem = ""
    if request.method == "POST" and form.is_valid():
        found = form.find_household()
        verdict = access.verify(found, form.cleaned_data["code"]) if found is not None else access.Verdict.WRONG
        if verdict == access.Verdict.OK:
            identify(request, found)
            return redirect("residents:home", code=code)
        if verdict == access.Verdict.LOCKED:
            problem = _("Too many wrong codes for this household. Please ask your residents' committee for a new "
                        "code, or try again in 15 minutes.")
        else:
            problem = _("The household or the code is not right. Check the building, unit, room and code; each "
                        "code works once and for 30 days.")
    status_code = 200 if not problem else 400
    return render(request, "residents/entry.html", {
        "community": community, "form": form, "problem": problem, "channel": access.code_channel(),
    }, status=status_code)


@household_required
def home(request, code, household):
    return render(request, "residents/home.html", {
        "community": household.building.community, "household": household, "label": household_label(household),
        "sections": portal.sections_for(household),
    })


@require_POST
def leave(request, code):
    forget(request)
    messages.info(request, _("You have left. Scan the code again to come back."))
    return redirect("residents:entry", code=code)
