"""Pages of long-term management: the accepted communities and their arrangements, a community's history and
return visits, the arrangement form, the agreement file, and the bureau's settings."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gaizao.aftercare import exports, services, visits
from gaizao.aftercare.filters import AcceptedListFilterSet, sorted_by
from gaizao.aftercare.forms import ArrangementForm, SettingsForm
from gaizao.aftercare.models import AftercareSettings, ManagementArrangement
from gaizao.core import clock
from gaizao.regions.models import Area

PAGE_SIZE = 50


def _require_see(user):
    if not services.may_see(user):
        raise PermissionDenied


def _community(user, code):
    _require_see(user)
    return get_object_or_404(services.communities_for(user).select_related("subdistrict"), code=code)


def _rows(user, communities, day, settings) -> list[dict]:
    """The listed communities with their arrangement objects (one query for the page's arrangements)."""
    communities = list(communities)
    found = ManagementArrangement.objects.in_bulk([c.arrangement_id for c in communities if c.arrangement_id])
    rows = []
    for community in communities:
        arrangement = found.get(community.arrangement_id)
        if arrangement is not None:
            arrangement.community = community
        contact = services.contact_for(user, arrangement) if arrangement else ("", "")
        rows.append({"community": community, "arrangement": arrangement, "contact": contact[0],
                     "phone": contact[1], "days": (day - community.accepted_on).days,
                     "overdue": services.is_overdue(community.accepted_on, arrangement is not None, day, settings)})
    return rows


@login_required
def arrangement_list(request):
    _require_see(request.user)
    day = clock.today()
    settings = AftercareSettings.current()
    visible = services.communities_for(request.user)
    accepted = services.accepted_communities(day, visible).select_related("subdistrict")
    subdistricts = (Area.objects.filter(level=Area.Level.SUBDISTRICT, communities__in=visible).distinct()
                    .order_by("code"))
    filterset = AcceptedListFilterSet(request.GET or None, queryset=accepted, subdistricts=subdistricts,
                                      overdue_before=services.overdue_cutoff(day, settings))
    sort = request.GET.get("sort", "code")
    communities = sorted_by(filterset.qs, sort)
    if request.GET.get("format") == "xlsx":
        return exports.arrangements_xlsx(_rows(request.user, communities, day, settings), day)
    page = Paginator(communities, PAGE_SIZE).get_page(request.GET.get("page"))
    figures = services.management_by_subdistrict(day, communities=visible)
    return render(request, "aftercare/list.html", {
        "filter": filterset, "page": page, "rows": _rows(request.user, page, day, settings), "sort": sort,
        "total": page.paginator.count, "figures": figures, "settings": settings,
        "may_edit_settings": services.may_edit_settings(request.user),
    })


@login_required
def community_detail(request, code):
    community = _community(request.user, code)
    day = clock.today()
    arrangements = list(community.management_arrangements.select_related("recorded_by"))
    history = [{"arrangement": a, "contact": services.contact_for(request.user, a)} for a in arrangements]
    accepted = services.accepted_on(community, day)
    current = next((a for a in arrangements if a.is_current and a.since <= day), None)
    return render(request, "aftercare/community.html", {
        "community": community, "history": history, "accepted_on": accepted, "current": current,
        "overdue": services.is_overdue(accepted, current is not None, day),
        "due": services.overdue_cutoff(day) if accepted else None,
        "visits": visits.visit_results(community.return_visits.order_by("months", "project__code")),
        "may_edit": services.may_edit(request.user, community),
        "settings": AftercareSettings.current(),
    })


def _form_page(request, community, arrangement=None):
    if not services.may_edit(request.user, community):
        raise PermissionDenied
    current = services.current_arrangement(community)
    form = ArrangementForm(request.POST or None, request.FILES or None, instance=arrangement)
    if request.method == "POST" and form.is_valid():
        try:
            if arrangement is None:
                services.record_arrangement(request.user, community, form.values(), agreement=form.new_upload(),
                                            reason=form.cleaned_data["reason"])
            else:
                services.correct_arrangement(request.user, arrangement, form.values(), agreement=form.new_upload(),
                                             reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Management arrangement of %(name)s saved.") % {"name": community.name})
            return redirect("aftercare:community", code=community.code)
    return render(request, "aftercare/form.html", {
        "community": community, "form": form, "arrangement": arrangement, "current": current,
        "accepted_on": services.accepted_on(community),
    })


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.error_dict.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
def arrangement_new(request, code):
    return _form_page(request, _community(request.user, code))


@login_required
def arrangement_edit(request, code, pk):
    community = _community(request.user, code)
    arrangement = get_object_or_404(community.management_arrangements, pk=pk)
    if not arrangement.is_current:
        messages.error(request, _("Only the current arrangement can be corrected; earlier ones are history."))
        return redirect("aftercare:community", code=community.code)
    return _form_page(request, community, arrangement)


@login_required
def agreement(request, code, pk):
    """The agreement file, only to those who see the community (never as public media: it carries names)."""
    community = _community(request.user, code)
    arrangement = get_object_or_404(community.management_arrangements, pk=pk)
    if not arrangement.agreement:
        raise Http404
    try:
        handle = arrangement.agreement.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=os.path.basename(arrangement.agreement.name))
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def settings_page(request):
    if not services.may_edit_settings(request.user):
        raise PermissionDenied
    current = AftercareSettings.current()
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_settings(request.user, form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Settings saved; return visits nobody has answered yet follow them."))
            return redirect("aftercare:settings")
    return render(request, "aftercare/settings.html", {"form": form, "settings": current})
