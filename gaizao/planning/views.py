from decimal import Decimal, InvalidOperation
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaizao.catalog.models import WorkItem
from gaizao.communities.access import get_community_for_user
from gaizao.communities.models import ProgrammeStatus
from gaizao.core import excel
from gaizao.planning import application, funding, jobs, money, need, plans
from gaizao.planning import programme as programmes
from gaizao.planning.explain import move_text, reason_text
from gaizao.planning.forms import ScenarioForm
from gaizao.planning.models import Assignment, FundingSource, Programme, Scenario

BOARD_CARDS = 150  # per column; the rest are counted, and the list page has them all
SCENARIO_HEADER = ("pk", "programme_id", "name", "status", "adopted", "created_at")  # a scenario without its data


def programme_staff_required(view):
    """The programme's pages are for those who plan it; contractors and residents' committees have no part in them."""
    @login_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.works_on_programme:
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return checked


@programme_staff_required
def programme_list(request):
    return render(request, "planning/programme_list.html", {
        "programmes": programmes.programmes_visible_to(request.user).select_related("district")})


def _scenarios(request):
    return Scenario.objects.filter(programme__in=programmes.programmes_visible_to(request.user))


def _visible_assignments(request, programme):
    from gaizao.communities.models import Community

    visible = Community.objects.visible_to(request.user).values("pk")
    return programme.assignments.filter(community__in=visible).select_related("community__subdistrict")


@programme_staff_required
def board(request, pk):
    programme = get_object_or_404(programmes.programmes_visible_to(request.user), pk=pk)
    assignments = _visible_assignments(request, programme)
    chosen = request.GET.get("subdistrict", "")
    if chosen.isdigit():
        assignments = assignments.filter(community__subdistrict_id=int(chosen))
    if request.GET.get("format") == "xlsx":
        return _export_board(programme, assignments)
    rows = {r.year: r for r in programme.year_rows.all()}
    # The adopted run's name, money and payers, not its placements and candidates (large at province scale).
    adopted = programme.scenarios.filter(adopted=True).only(*SCENARIO_HEADER).first()
    result, inputs = {}, {}
    if adopted:
        used, payers, cash_flow = Scenario.objects.filter(pk=adopted.pk).values_list(
            "result__funding", "result__payers", "inputs__cash_flow").get()
        result, inputs = {"funding": used, "payers": payers}, {"cash_flow": cash_flow}
    sources = money.source_use(funding.funding_inputs(programme), {y: r.budget_yuan for y, r in rows.items()},
                               result.get("funding"), programme.years)
    by_year = {row["year"]: row for row in assignments.filter(year__isnull=False).order_by().values("year").annotate(
        cost=Sum("cost_yuan"), households=Sum("households"), count=Count("pk"))}
    upgrades = dict(assignments.filter(upgrade_year__isnull=False).order_by().values("upgrade_year")
                    .annotate(cost=Sum("upgrade_cost_yuan")).values_list("upgrade_year", "cost"))
    cash_flow = inputs.get("cash_flow") or programme.cash_flow
    starts = {year: float(row["cost"] or 0) for year, row in by_year.items()}
    for year, cost in upgrades.items():
        starts[year] = starts.get(year, 0.0) + float(cost or 0)
    spent = money.spending_by_year(starts, cash_flow)
    columns = []
    for year in programme.years:
        in_year = assignments.filter(year=year).order_by("-need_score")
        totals = by_year.get(year, {})
        used = Decimal(str(round(spent.get(year, 0.0), 2)))
        budget = rows[year].budget_yuan if year in rows else Decimal(0)
        cards = list(in_year[:BOARD_CARDS])
        _paid_by(cards, cash_flow, result.get("payers") if adopted else None, programme.last_year)
        columns.append({
            "year": year, "state": programmes.state_for(programme, year), "cards": cards,
            "count": totals.get("count", 0), "used": used, "budget": budget, "left": budget - used,
            "percent": int(100 * used / budget) if budget else 0, "households": totals.get("households") or 0,
            "capacity": rows[year].capacity_households if year in rows else None,
        })
    waiting = assignments.filter(year__isnull=True).order_by("excluded", "-need_score")
    can_edit = programmes.may_edit_programme(request.user, programme)
    return render(request, "planning/board.html", {
        "programme": programme, "columns": columns, "waiting": list(waiting[:BOARD_CARDS]),
        "waiting_count": waiting.count(), "adopted": adopted,
        "scenarios": programme.scenarios.only(*SCENARIO_HEADER)[:10],
        "can_edit": can_edit, "subdistricts": _subdistricts(programme), "chosen": chosen,
        "application_year": application.application_year(programme) if can_edit else None,
        "sources": [{**row, "label": funding.source_label(row["code"])}
                    for row in money.source_matrix(sources, programme.years)]
        if result.get("funding") or programme.funding_rows.exists() else [],
        "sources_used": bool(result.get("funding")),
    })


def _paid_by(cards, cash_flow, payers, last_year) -> None:
    """Each card's sources as [(label, yuan)], from the adopted plan's payers (no adopted plan: none)."""
    for a in cards:
        a.paid_by = []
        if payers is None or a.year is None:
            continue
        paid = money.payers_of(float(a.cost_yuan), a.year, float(a.upgrade_cost_yuan), a.upgrade_year,
                               cash_flow or [1.0], payers, last_year)
        a.paid_by = [(funding.source_label(code), yuan) for code, yuan in paid.items()]


def _export_board(programme, assignments):
    """The whole programme as officials file it: one row per community, by year, most needed first."""
    rows = []
    for a in assignments.order_by(F("year").asc(nulls_last=True), "excluded", "-need_score", "community__code"):
        state = ProgrammeStatus(programmes.state_for(programme, a.year)).label
        rows.append([a.year or _("Not scheduled"), str(state), a.community.code, a.community.name,
                     a.community.subdistrict.name, float(a.need_score), float(a.cost_yuan), a.households,
                     a.upgrade_year or "", float(a.upgrade_cost_yuan), a.pinned_year or "",
                     _("Yes") if a.excluded else "", reason_text(a.reason, a.detail)])
    workbook = excel.new_workbook()
    excel.add_sheet(workbook, _("Programme"), [
        _("Year"), _("State"), _("Community code"), _("Community"), _("Sub-district"), _("Need score"),
        _("Basic work (yuan)"), _("Households"), _("Upgrade year"), _("Upgrade work (yuan)"), _("Pinned to year"),
        _("Kept out"), _("Reason")], rows, {3: 28, 4: 14, 12: 40})
    return excel.response(workbook, f"{programme.name}.xlsx")


def _subdistricts(programme):
    from gaizao.regions.models import Area

    return Area.objects.filter(parent=programme.district, level=Area.Level.SUBDISTRICT)


@login_required
@require_POST
def pin(request, pk):
    programme = get_object_or_404(programmes.programmes_visible_to(request.user), pk=pk)
    assignment = get_object_or_404(Assignment, programme=programme, pk=request.POST.get("assignment"))
    choice = request.POST.get("pin", "")
    try:
        if choice == "out":
            programmes.pin(request.user, assignment, year=None, excluded=True)
        elif choice == "":
            programmes.pin(request.user, assignment, year=None)
        else:
            programmes.pin(request.user, assignment, year=int(choice))
    except (ValueError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Saved for %(name)s. Run the optimiser to re-plan around it.")
                         % {"name": assignment.community.name})
    return redirect("planning:board", pk=programme.pk)


@login_required
def scenario_new(request, pk):
    programme = get_object_or_404(programmes.programmes_visible_to(request.user), pk=pk)
    if not programmes.may_edit_programme(request.user, programme):
        raise PermissionDenied
    form = ScenarioForm(request.POST or None, years=programme.years,
                        initial_inputs=programmes.default_inputs(programme),
                        initial={"name": _("Run of %(n)s") % {"n": programme.scenarios.count() + 1}})
    if request.method == "POST" and form.is_valid():
        scenario = jobs.start_scenario(request.user, programme, form.cleaned_data["name"], form.inputs())
        return redirect("planning:scenario", pk=scenario.pk)
    return render(request, "planning/scenario_form.html", {"programme": programme, "form": form})


@programme_staff_required
def scenario_detail(request, pk):
    scenario = get_object_or_404(_scenarios(request).select_related("programme"), pk=pk)
    context = {"scenario": scenario, "programme": scenario.programme, "years": _year_rows(scenario),
               "explained": _explained(request, scenario),
               "can_edit": programmes.may_edit_programme(request.user, scenario.programme)}
    if scenario.result:
        context.update(_money_context(request, scenario))
        context.update(_headline(context["years"]))
    template = "planning/_scenario_status.html" if request.headers.get("HX-Request") else "planning/scenario.html"
    return render(request, template, context)


def _money_context(request, scenario) -> dict:
    """What the money says: the re-plan against the adopted plan with its moves, what 10 million yuan more of
    each binding source would buy, and each source's use per year."""
    result, inputs = scenario.result, scenario.inputs
    names = dict(_visible_assignments(request, scenario.programme).values_list("community__code", "community__name"))
    moves = [{**move, "name": names[move["code"]], "why": move_text(move)}
             for move in result.get("moves") or [] if move.get("code") in names]
    worth = [{**row, "label": funding.source_label(row["source"])}
             for row in money.worth(result.get("dual_values"), programmes.candidate_rows(inputs),
                                    result.get("placements", {}))]
    return {"replan": money.replan_summary(inputs, result), "moves": moves[:300], "worth": worth,
            "money_years": _money_rows(scenario)}


def _money_rows(scenario) -> list[dict]:
    """Per year, each source of the scenario's own inputs with its use (only when the result tells the use)."""
    result = scenario.result or {}
    if not result.get("funding"):
        return []
    table = money.source_use(scenario.inputs.get("funding"), scenario.inputs.get("budgets", {}), result["funding"],
                             scenario.programme.years)
    return [{"year": year, "sources": [{**line, "label": funding.source_label(line["code"])} for line in lines]}
            for year, lines in table.items()]


def _headline(years: list[dict]) -> dict:
    """What a leader reads first: how many households start works in which years, and a chart of them per year."""
    households = sum(int(y.get("households") or 0) for y in years)
    chart = {"labels": [str(y["year"]) for y in years], "yName": _("Communities"),
             "series": [{"name": _("Communities starting works"), "data": [y["count"] for y in years]}],
             "households": {"name": _("Households starting works"), "data": [y.get("households") or 0 for y in years]}}
    return {"headline": {"households": households, "first": years[0]["year"] if years else "",
                         "last": years[-1]["year"] if years else ""}, "chart": chart}


def _year_rows(scenario):
    if not scenario.result:
        return []
    budgets = scenario.inputs.get("budgets", {})
    rows = []
    for year, data in scenario.result["years"].items():
        rows.append({"year": year, "budget": budgets.get(str(year), 0), **data,
                     "count": len(data.get("communities", []))})
    return rows


def _explained(request, scenario, limit=400):
    if not scenario.result:
        return []
    placements = scenario.result.get("placements", {})
    assignments = _visible_assignments(request, scenario.programme).order_by("-need_score")[:limit]
    rows = []
    for a in assignments:
        placed = placements.get(a.community.code, {})
        rows.append({"a": a, "year": placed.get("year"), "upgrade_year": placed.get("upgrade_year"),
                     "why": reason_text(placed.get("reason", ""), placed.get("detail"))})
    return rows


@login_required
@require_POST
def scenario_adopt(request, pk):
    scenario = get_object_or_404(_scenarios(request), pk=pk)
    try:
        changed = programmes.adopt(request.user, scenario)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("planning:scenario", pk=scenario.pk)
    messages.success(request, _("Adopted. %(n)s communities changed status or batch year.") % {"n": changed})
    return redirect("planning:board", pk=scenario.programme_id)


@programme_staff_required
def compare(request, pk):
    programme = get_object_or_404(programmes.programmes_visible_to(request.user), pk=pk)
    done = programme.scenarios.filter(status=Scenario.Status.DONE)
    chosen_a, chosen_b = (_int(request.GET.get(key)) for key in ("a", "b"))
    left = done.filter(pk=chosen_a).first() or done.first()
    right = done.filter(pk=chosen_b).exclude(pk=getattr(left, "pk", None)).first() or \
        done.exclude(pk=getattr(left, "pk", None)).first()
    done = done.only(*SCENARIO_HEADER)  # the choices: names only
    moved = []
    if left and right:
        a, b = left.result["placements"], right.result["placements"]
        # Only the communities the user may see: an officer compares their own sub-district's.
        names = dict(_visible_assignments(request, programme).values_list("community__code", "community__name"))
        moved = [{"code": code, "name": names[code], "a": a[code]["year"], "b": b.get(code, {}).get("year")}
                 for code in sorted(a) if code in names and a[code]["year"] != b.get(code, {}).get("year")]
    return render(request, "planning/compare.html", {
        "programme": programme, "scenarios": done, "left": left, "right": right, "moved": moved[:300],
        "moved_count": len(moved), "left_years": _year_rows(left) if left else [],
        "right_years": _year_rows(right) if right else [],
        "left_money": _compare_money(left), "right_money": _compare_money(right),
    })


def _compare_money(scenario) -> list[dict]:
    """The scenario's funding per year, source by source, with its use where the result tells it."""
    if scenario is None:
        return []
    rows = _money_rows(scenario)
    if rows or not scenario.inputs.get("funding"):
        return rows
    table = money.source_use(scenario.inputs["funding"], scenario.inputs.get("budgets", {}), {},
                             scenario.programme.years)
    return [{"year": year, "sources": [{**line, "label": funding.source_label(line["code"])} for line in lines]}
            for year, lines in table.items()]


# -- community plan ------------------------------------------------------------------------------------------
@login_required
def community_plan(request, code):
    community = get_community_for_user(request.user, code)
    versions = list(community.plans.all())
    plan = next((p for p in versions if p.pk == _int(request.GET.get("version"))), versions[0] if versions else None)
    programme = Programme.objects.filter(district=community.subdistrict.parent).first()
    weights = programme.need_weights if programme else None
    households = sum(b.households for b in community.buildings.all())
    score = need.score_community(community, households, weights or {}, programme.first_year) if programme else None
    can_edit = request.user.can_edit_census
    context = {"community": community, "plan": plan, "versions": versions, "score": score,
               "can_edit": can_edit, "can_approve": plans.may_approve(request.user, community),
               "sources": FundingSource.choices}
    needs = need.residents_needs(community)
    if needs:
        present = set(plan.items.values_list("item__code", flat=True)) if plan else set()
        for row in needs["rows"]:
            row["in_plan"] = row["code"] in present
    context["needs"] = needs
    if plan:
        context.update(items=plan.items.select_related("item"), totals=plans.totals(plan),
                       funding={f.source: f.yuan for f in plan.funding.all()},
                       addable=WorkItem.objects.filter(active=True).exclude(pk__in=plan.items.values("item_id")))
    return render(request, "planning/community_plan.html", context)


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if abs(number) < 2**63 else None  # a database id, never bigger


def _decimal(value):
    value = (value or "").strip().replace(",", "")
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": value}) from None


@login_required
@require_POST
def community_plan_action(request, code):
    community = get_community_for_user(request.user, code)
    action = request.POST.get("action")
    plan = community.plans.filter(pk=_int(request.POST.get("plan"))).first()
    try:
        if action == "propose":
            plan = plans.propose_plan(request.user, community)
            messages.success(request, _("Version %(v)s drafted from the census; check the quantities.")
                             % {"v": plan.version})
        elif plan is None:
            raise ValidationError(_("Choose a plan first."))
        elif action == "save":
            quantities = {item.item_id: _decimal(request.POST.get(f"qty_{item.item_id}"))
                          for item in plan.items.all()}
            funding = {source: _decimal(request.POST.get(f"fund_{source}")) for source in FundingSource.values}
            added = [i for i in [_int(request.POST.get("add_item"))] if i]
            plans.update_plan(request.user, plan, quantities=quantities, add_items=added, funding=funding,
                              note=request.POST.get("note"))
            messages.success(request, _("Plan saved."))
        elif action == "add_needs":
            added = plans.add_residents_needs(request.user, plan, need.residents_needs(community))
            messages.success(request, _("Added what residents asked for and the plan lacked: %(items)s. Set the "
                                        "quantities.") % {"items": "、".join(added) or _("nothing to add")})
        elif action == "publish":
            plans.publish(request.user, plan)
            messages.success(request, _("Published for the residents."))
        elif action == "approve":
            plans.approve(request.user, plan)
            messages.success(request, _("Approved; the community's investment estimate is now this plan's total."))
        elif action == "new_version":
            plan = plans.new_version(request.user, plan)
            messages.success(request, _("Version %(v)s drafted; the earlier version is kept.") % {"v": plan.version})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    url = f"{request.path.rsplit('/action/', 1)[0]}/"
    return redirect(f"{url}?version={plan.pk}" if plan else url)


