"""A programme's money (issue 17): funding sources per year, cash flow, sub-district capacity and move penalty —
checked with messages that name the row and what to change, saved with history, and turned into the optimiser's
inputs. A programme without funding rows plans against each year's budget as one source that pays everything."""

import copy
import math
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaizao.core import audit
from gaizao.planning.models import FundingSource, Pays, Programme, ProgrammeFunding, ProgrammeYear

BUDGET_SOURCE = "budget"  # the optimiser's one source that pays everything (optimiser.data.BUDGET_SOURCE)
LATER = "later"  # spending that falls after the programme's last year: the next programme's
DEFAULT_PAYS = {FundingSource.CENTRAL_SUBSIDY: Pays.BASIC, FundingSource.PROVIDENT_FUND: Pays.UPGRADE}
VARIANTS = ("bonds_cut", "no_provident_fund")
BONDS_CUT = Decimal("0.20")


def source_label(code: str) -> str:
    if code == BUDGET_SOURCE:
        return _("Budget (pays any work)")
    if code == LATER:
        return _("After the programme's last year")
    if code in FundingSource.values:
        return str(FundingSource(code).label)
    return code


def pays_label(code: str) -> str:
    return str(Pays(code).label) if code in Pays.values else code


# -- checks ----------------------------------------------------------------------------------------------------
def _percent(share: float) -> str:
    return f"{share * 100:g}%"


def cash_flow_problems(shares) -> list[str]:
    """Every problem of a cash flow (shares of a cost spent in the start year, the next year, …)."""
    if not isinstance(shares, (list, tuple)) or not shares:
        return [_("Give the cash flow as shares of the cost per year, e.g. 60, 40.")]
    if len(shares) > 10:
        return [_("A cash flow covers at most 10 years; %(n)s shares were given.") % {"n": len(shares)}]
    problems = []
    numbers = []
    for index, share in enumerate(shares, start=1):
        if isinstance(share, bool) or not isinstance(share, (int, float, Decimal)) or not math.isfinite(share):
            problems.append(_("Cash-flow share %(n)s (“%(share)s”) is not a number; write a number.")
                            % {"n": index, "share": share})
            continue
        if share < 0:
            problems.append(_("Cash-flow share %(n)s (%(share)s) is negative; make it 0 or more.")
                            % {"n": index, "share": _percent(float(share))})
        numbers.append(float(share))
    if not problems and abs(sum(numbers) - 1) > 1e-6:
        problems.append(_("The cash-flow shares %(shares)s add up to %(total)s, not 100%%; change them so that "
                          "they add up to 100%%.") % {"shares": " / ".join(_percent(s) for s in numbers),
                                                     "total": _percent(round(sum(numbers), 6))})
    return problems


def _amount(value):
    if isinstance(value, bool):
        raise InvalidOperation
    number = Decimal(str(value).replace(",", "").strip())
    if not number.is_finite():
        raise InvalidOperation
    return number


def funding_problems(funding: dict, years: list[int]) -> list[str]:
    """Every problem of funding rows {year: [{code, amount_yuan, pays}]}, each naming its year and source."""
    problems = []
    for year_key, rows in (funding or {}).items():
        try:
            year = int(year_key)
        except (TypeError, ValueError):
            problems.append(_("“%(year)s” is not a year; write a year such as %(first)s.")
                            % {"year": year_key, "first": years[0] if years else 2021})
            continue
        seen = set()
        for row in rows or []:
            code = str(row.get("code", ""))
            where = _("%(year)s, %(source)s") % {"year": year, "source": source_label(code)}
            if year not in years:
                problems.append(_("%(where)s: %(year)s is outside the programme (%(first)s–%(last)s); put the "
                                  "money in one of those years or delete the row.")
                                % {"where": where, "year": year, "first": years[0], "last": years[-1]})
            if code not in FundingSource.values and code != BUDGET_SOURCE:
                problems.append(_("%(where)s: “%(code)s” is not a funding source; use one of %(codes)s.")
                                % {"where": where, "code": code, "codes": ", ".join(FundingSource.values)})
            elif code in seen:
                problems.append(_("%(where)s: the source appears twice in %(year)s; keep one row.")
                                % {"where": where, "year": year})
            seen.add(code)
            shown = row.get("shown", row.get("amount_yuan"))  # as the user typed it (a form's 万元)
            try:
                amount = _amount(row.get("amount_yuan"))
            except (InvalidOperation, ValueError, TypeError):
                problems.append(_("%(where)s: “%(amount)s” is not an amount; write a number.")
                                % {"where": where, "amount": shown})
            else:
                if amount < 0:
                    problems.append(_("%(where)s: the amount %(amount)s is negative; write 0 or more.")
                                    % {"where": where, "amount": shown})
            pays = row.get("pays", Pays.ALL)
            if pays not in Pays.values:
                problems.append(_("%(where)s: “%(pays)s” is not what a source can pay; write basic, upgrade or all.")
                                % {"where": where, "pays": pays})
    return problems


def input_problems(inputs: dict, years: list[int]) -> list[str]:
    """What is wrong with a scenario's money and rules before the optimiser sees them."""
    problems = funding_problems(inputs.get("funding") or {}, years)
    if "cash_flow" in inputs:
        problems += cash_flow_problems(inputs["cash_flow"])
    penalty = inputs.get("move_penalty", 0) or 0
    if not isinstance(penalty, (int, float)) or penalty < 0:
        problems.append(_("The move penalty (%(value)s) must be 0 or more.") % {"value": penalty})
    return problems


# -- the optimiser's inputs --------------------------------------------------------------------------------------
def funding_inputs(programme: Programme) -> dict | None:
    """{year: [{code, amount_yuan, pays}]} in spending order, or None when the programme has no funding rows.
    A year without rows keeps its budget as one source that pays everything."""
    rows = list(programme.funding_rows.all())
    if not rows:
        return None
    funding = {str(year): [] for year in programme.years}
    for row in rows:
        funding.setdefault(str(row.year), []).append(
            {"code": row.source, "amount_yuan": float(row.amount_yuan), "pays": row.pays})
    budgets = {r.year: r.budget_yuan for r in programme.year_rows.all()}
    for year in programme.years:
        if not funding[str(year)] and year in budgets:
            funding[str(year)] = [{"code": BUDGET_SOURCE, "amount_yuan": float(budgets[year]), "pays": Pays.ALL}]
    return funding


def subdistrict_capacity_inputs(programme: Programme) -> dict | None:
    if programme.capacity_subdistrict is None:
        return None
    return {"*": {str(year): programme.capacity_subdistrict for year in programme.years}}


def budgets_of(funding: dict) -> dict[str, float]:
    """Each year's money, all sources together (the optimiser's `budgets` when sources are given)."""
    return {year: float(sum(Decimal(str(r["amount_yuan"])) for r in rows)) for year, rows in funding.items()}


def apply_variant(funding: dict, variant: str, year: int | None = None) -> dict:
    """A copy of the funding with a quick what-if: special bonds 20 % less in one year, or no provident fund."""
    varied = copy.deepcopy(funding)
    if variant == "bonds_cut":
        for row in varied.get(str(year), []):
            if row["code"] == FundingSource.SPECIAL_BONDS:
                row["amount_yuan"] = float((Decimal(str(row["amount_yuan"])) * (1 - BONDS_CUT)).quantize(Decimal("1")))
    elif variant == "no_provident_fund":
        varied = {y: [r for r in rows if r["code"] != FundingSource.PROVIDENT_FUND] for y, rows in varied.items()}
    return varied


# -- saving ------------------------------------------------------------------------------------------------------
def _require_edit(actor, programme):
    from gaizao.planning.programme import require_programme_edit

    require_programme_edit(actor, programme)


def _rows_snapshot(rows) -> list[dict]:
    return [{"source": r.source, "amount_yuan": str(r.amount_yuan), "pays": r.pays} for r in rows]


@transaction.atomic
def save_year_funding(actor, programme: Programme, year: int, rows: list[dict]) -> list[ProgrammeFunding]:
    """Replace one year's sources ([{code, amount_yuan, pays}] in spending order). The year's budget becomes their
    sum, so the board, the API and a run without sources agree."""
    _require_edit(actor, programme)
    problems = funding_problems({str(year): rows}, programme.years)
    if problems:
        raise ValidationError(problems)
    existing = programme.funding_rows.filter(year=year)
    before = _rows_snapshot(existing)
    existing.delete()
    made = ProgrammeFunding.objects.bulk_create([
        ProgrammeFunding(programme=programme, year=year, source=row["code"], amount_yuan=_amount(row["amount_yuan"]),
                         pays=row.get("pays", Pays.ALL), position=index)
        for index, row in enumerate(rows)])
    if made:
        total = sum((row.amount_yuan for row in made), Decimal(0))
        year_row, created = ProgrammeYear.objects.get_or_create(programme=programme, year=year,
                                                               defaults={"budget_yuan": total})
        if not created and year_row.budget_yuan != total:
            year_row.budget_yuan = total
            year_row.save(update_fields=["budget_yuan"])
    audit.record(actor, [audit.Change("update", programme, {f"funding {year}": before},
                                      {f"funding {year}": _rows_snapshot(made)})],
                 reason=_("Funding sources of %(year)s") % {"year": year})
    return made


@transaction.atomic
def save_rules(actor, programme: Programme, *, cash_flow: list[float], capacity_subdistrict: int | None,
               move_penalty: Decimal) -> Programme:
    """The cash flow, the sub-district capacity and the move penalty of re-planning."""
    _require_edit(actor, programme)
    problems = cash_flow_problems(cash_flow)
    if capacity_subdistrict is not None and capacity_subdistrict < 1:
        problems.append(_("Communities per sub-district and year must be 1 or more, or left empty for no limit."))
    if move_penalty is None or move_penalty < 0:
        problems.append(_("The move penalty must be 0 or more."))
    if problems:
        raise ValidationError(problems)
    fields = ["cash_flow", "capacity_subdistrict", "move_penalty"]
    before = audit.snapshot(programme, fields)
    programme.cash_flow = [float(s) for s in cash_flow]
    programme.capacity_subdistrict = capacity_subdistrict
    programme.move_penalty = move_penalty
    programme.save(update_fields=fields)
    audit.record(actor, [audit.Change("update", programme, before, audit.snapshot(programme, fields))])
    return programme
