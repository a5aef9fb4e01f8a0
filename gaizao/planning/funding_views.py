"""Pages of the programme's money (issue 17): a year's funding sources, the rules of re-planning, the annual plan
application, and running a scenario again with its own inputs. Bureau staff only."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaizao.core import excel
from gaizao.planning import application, funding, jobs
from gaizao.planning.forms import RulesForm, YearFundingForm
from gaizao.planning.models import Programme, Scenario
from gaizao.planning.programme import may_edit_programme, programmes_visible_to


def _staff_programme(request, pk) -> Programme:
    programme = get_object_or_404(programmes_visible_to(request.user), pk=pk)
    if not may_edit_programme(request.user, programme):
        raise PermissionDenied
    return programme


@login_required
def funding_edit(request, pk, year):
    programme = _staff_programme(request, pk)
    if year not in programme.years:
        raise Http404
    form = YearFundingForm(request.POST or None, year=year, years=programme.years,
                           rows=programme.funding_rows.filter(year=year))
    if request.method == "POST" and form.is_valid():
        try:
            funding.save_year_funding(request.user, programme, year, form.rows)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The funding of %(year)s is saved. Run the optimiser to plan with it.")
                             % {"year": year})
            return redirect("planning:board", pk=programme.pk)
    return render(request, "planning/funding_form.html", {"programme": programme, "year": year, "form": form})


@login_required
def rules_edit(request, pk):
    programme = _staff_programme(request, pk)
    form = RulesForm(request.POST or None, initial={
        "cash_flow": programme.cash_flow, "capacity_subdistrict": programme.capacity_subdistrict,
        "move_penalty": programme.move_penalty})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            funding.save_rules(request.user, programme, cash_flow=data["cash_flow"] or [1.0],
                               capacity_subdistrict=data["capacity_subdistrict"], move_penalty=data["move_penalty"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved. Run the optimiser to plan with these rules."))
            return redirect("planning:board", pk=programme.pk)
    return render(request, "planning/rules_form.html", {"programme": programme, "form": form})


@login_required
def application_download(request, pk):
    programme = _staff_programme(request, pk)
    if application.application_year(programme) is None:
        messages.error(request, _("The programme ends this year; there is no next year to apply for."))
        return redirect("planning:board", pk=programme.pk)
    return excel.response(application.application_workbook(programme), application.application_filename(programme))


@login_required
@require_POST
def scenario_rerun(request, pk):
    """The same inputs again (the candidate table too): the same plan, as a new scenario to compare or adopt."""
    scenario = get_object_or_404(Scenario.objects.filter(programme__in=programmes_visible_to(request.user))
                                 .select_related("programme"), pk=pk)
    _staff_programme(request, scenario.programme_id)
    again = jobs.start_scenario(request.user, scenario.programme, _("%(name)s (again)") % {"name": scenario.name},
                                copy.deepcopy(scenario.inputs))
    return redirect("planning:scenario", pk=again.pk)
