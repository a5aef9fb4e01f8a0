"""The annual plan application (年度改造计划申报) the province asks of the district for next year: each community of
next year's batch in the adopted plan with its buildings, households, floor area, content by tier and investment
by funding source, sub-district subtotals and a total. Figures here (`application_rows`), the workbook below."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gaizao.catalog.models import Tier
from gaizao.communities.models import Community
from gaizao.core import excel
from gaizao.planning import money
from gaizao.planning.funding import BUDGET_SOURCE, LATER, source_label
from gaizao.planning.models import CommunityPlan, FundingSource, PlanItem, Programme

NUMBERS = ("buildings", "households", "floor_area", "basic", "upgrade", "total")


@dataclass
class Line:
    """One row of the application: a community, or a sub-district's subtotal, or the total."""

    kind: str  # "community", "subtotal", "total"
    subdistrict: str
    code: str = ""
    name: str = ""
    buildings: int = 0
    households: int = 0
    floor_area: float = 0.0
    content: dict = field(default_factory=dict)  # tier -> "item、item"
    basic: float = 0.0  # yuan
    upgrade: float = 0.0
    total: float = 0.0
    sources: dict = field(default_factory=dict)  # source code -> yuan

    def add(self, other: "Line") -> None:
        for name in NUMBERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for code, yuan in other.sources.items():
            self.sources[code] = self.sources.get(code, 0.0) + yuan


def application_year(programme: Programme) -> int | None:
    year = programme.current_year + 1
    return year if year <= programme.last_year else None


def _content(community_ids) -> dict[int, dict[str, list[str]]]:
    items = (PlanItem.objects.filter(plan__community_id__in=community_ids, plan__status=CommunityPlan.Status.APPROVED)
             .values_list("plan__community_id", "item__tier", "item__name").order_by("item__code"))
    found: dict[int, dict[str, list[str]]] = {}
    for community_id, tier, name in items:
        found.setdefault(community_id, {}).setdefault(tier, []).append(name)
    return found


def application_rows(programme: Programme) -> tuple[list[Line], list[str]]:
    """The lines in order (communities by sub-district, each sub-district's subtotal, the total) and the source
    codes that pay something, in the order of the funding sources (then the budget, then later years)."""
    year = application_year(programme)
    adopted = programme.scenarios.filter(adopted=True).first()
    if year is None:
        return [], []
    payers = (adopted.result or {}).get("payers") or {} if adopted else {}
    cash_flow = (adopted.inputs or {}).get("cash_flow") or [1.0] if adopted else [1.0]
    assignments = list(programme.assignments.filter(year=year).select_related("community__subdistrict")
                       .order_by("community__subdistrict__code", "-need_score", "community__code"))
    ids = [a.community_id for a in assignments]
    totals = {c.pk: c for c in Community.objects.filter(pk__in=ids).with_building_totals()}
    content = _content(ids)
    lines, used = [], set()
    subtotal = total = None
    for a in assignments:
        community = totals[a.community_id]
        upgrade = float(a.upgrade_cost_yuan) if a.upgrade_year is not None else 0.0
        paid = money.payers_of(float(a.cost_yuan), a.year, upgrade, a.upgrade_year, cash_flow, payers,
                               programme.last_year)
        used.update(paid)
        line = Line("community", community.subdistrict.name, community.code, community.name,
                    community.building_count, community.household_total or 0, float(community.floor_area_total or 0),
                    {tier: "、".join(names) for tier, names in content.get(community.pk, {}).items()},
                    float(a.cost_yuan), upgrade, float(a.cost_yuan) + upgrade, paid)
        if subtotal is None or subtotal.subdistrict != line.subdistrict:
            if subtotal is not None:
                lines.append(subtotal)
            subtotal = Line("subtotal", line.subdistrict)
        subtotal.add(line)
        total = total or Line("total", "")
        total.add(line)
        lines.append(line)
    if subtotal is not None:
        lines += [subtotal, total]
    order = [*FundingSource.values, BUDGET_SOURCE, LATER]
    return lines, sorted(used, key=lambda code: order.index(code) if code in order else len(order))


_TITLE_FONT = Font(bold=True, size=14)
_SUM_FILL = PatternFill("solid", fgColor="F2F2F2")
WAN = 10_000


def application_workbook(programme: Programme):
    """The workbook: a title row, the header (frozen), one row per community, subtotals and the total, in 万元."""
    year = application_year(programme)
    lines, sources = application_rows(programme)
    headers = [_("No."), _("Sub-district"), _("Community code"), _("Community"), _("Buildings"), _("Households"),
               _("Floor area (m²)"), _("Basic work"), _("Improvement work"), _("Upgrade work"),
               _("Basic and improvement investment (万元)"), _("Upgrade investment (万元)"),
               _("Total investment (万元)")]
    headers += [_("%(source)s (万元)") % {"source": source_label(code)} for code in sources]
    workbook = excel.new_workbook()
    sheet = excel.add_sheet(workbook, _("Application %(year)s") % {"year": year}, headers, [],
                            {1: 6, 2: 14, 3: 12, 4: 26, 8: 36, 9: 36, 10: 30})
    sheet.insert_rows(1)
    sheet["A1"] = _("%(district)s: application for the %(year)s renovation plan of old residential communities") % {
        "district": programme.district.name, "year": year}
    sheet["A1"].font = _TITLE_FONT
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.freeze_panes = "A3"
    number = 0
    row = sheet.max_row  # counted on from here: `max_row` scans the whole sheet each time it is asked
    for line in lines:
        if line.kind == "community":
            number += 1
            first = [number, line.subdistrict, line.code, line.name]
        elif line.kind == "subtotal":
            first = ["", line.subdistrict, "", _("Subtotal")]
        else:
            first = ["", _("Total"), "", ""]
        content = [line.content.get(tier, "") for tier in (Tier.BASIC, Tier.IMPROVEMENT, Tier.UPGRADE)]
        sheet.append([*first, line.buildings, line.households, round(line.floor_area, 2), *content,
                      round(line.basic / WAN, 2), round(line.upgrade / WAN, 2), round(line.total / WAN, 2),
                      *[round(line.sources.get(code, 0.0) / WAN, 2) for code in sources]])
        row += 1
        for column in range(1, len(headers) + 1):
            cell = sheet.cell(row=row, column=column)
            if column in (2, 4, 8, 9, 10):
                excel.keep_as_text(cell)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif column in (5, 6):
                cell.number_format = "#,##0"
            elif column >= 7:
                cell.number_format = "#,##0.00"
            if line.kind != "community":
                cell.font = Font(bold=True)
                cell.fill = _SUM_FILL
    for column in range(11, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    return workbook


def application_filename(programme: Programme) -> str:
    return _("Renovation plan application %(year)s.xlsx") % {"year": application_year(programme)}
