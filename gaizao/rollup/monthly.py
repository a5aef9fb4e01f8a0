"""The national monthly report (全国城镇老旧小区改造月报): communities, buildings and households started and
completed, and investment done, this year and to date, by province, city and district, for a month's end.

Everything comes from the data: a community has started when its first project actually started, and is
completed when every project it is in has actually finished; its buildings and households are the census's; the
investment done is the value of the progress reported (quantity × the plan item's unit cost) up to the month's
end. Sums are kept in yuan and shown in 万元 (ten thousand yuan) in the workbook.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Min, Q, Sum
from django.utils.translation import gettext as _

from gaizao.communities.models import Community
from gaizao.core import excel
from gaizao.regions.models import Area
from gaizao.works.models import ProgressEntry, Project

ZERO = Decimal(0)
WAN = Decimal(10000)
MONEY = DecimalField(max_digits=20, decimal_places=4)
FIELDS = ("communities", "buildings", "households")
# Each key: (what, started or completed, this year or to date); investment: this year, to date.
KEYS = tuple(f"{what}_{event}_{period}" for event in ("started", "completed") for what in FIELDS
             for period in ("year", "total")) + ("investment_year", "investment_total")


class MonthError(ValueError):
    """A month that cannot be read; the message says how to write one."""


def parse_month(text: str) -> datetime.date:
    """'2021-11' → the month's last day, 2021-11-30."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise MonthError(_("The month must be written YYYY-MM, e.g. 2021-11."))
    year, month = int(match.group(1)), int(match.group(2))
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def _zero() -> dict:
    return {key: (ZERO if key.startswith("investment") else 0) for key in KEYS}


@dataclass
class Line:
    """One row of the table: an area and its figures (a subtotal for a province or a city)."""

    level: str
    code: str
    name: str
    figures: dict = field(default_factory=_zero)

    def add(self, figures: dict) -> None:
        for key in KEYS:
            self.figures[key] += figures[key]


def district_figures(month_end: datetime.date, districts, progress=None) -> dict[int, dict]:
    """District id → the report's figures at the month's end (yuan for investment)."""
    year_start = datetime.date(month_end.year, 1, 1)
    per_district: dict[int, dict] = defaultdict(_zero)
    tick = progress or (lambda done, total, label: None)
    tick(0, 3, _("communities"))
    # Each community once: its first actual start, and its last actual finish if every project has finished.
    dates = (Project.communities.through.objects.filter(community__subdistrict__parent__in=districts).order_by()
             .values("community_id").annotate(start=Min("project__actual_start"), finish=Max("project__actual_finish"),
                                              unfinished=Count("pk", filter=Q(project__actual_finish__isnull=True))))
    dates = {row["community_id"]: row for row in dates}
    tick(1, 3, _("communities"))
    sizes = (Community.objects.filter(pk__in=list(dates)).order_by()
             .values_list("pk", "subdistrict__parent_id")
             .annotate(n_buildings=Count("buildings"), n_households=Sum("buildings__households", default=0)))
    for pk, district_id, buildings, households in sizes:
        row, bucket = dates[pk], per_district[district_id]
        counts = {"communities": 1, "buildings": buildings, "households": households}
        finish = row["finish"] if not row["unfinished"] else None
        for event, day in (("started", row["start"]), ("completed", finish)):
            if day is None or day > month_end:
                continue
            for what in FIELDS:
                bucket[f"{what}_{event}_total"] += counts[what]
                if day >= year_start:
                    bucket[f"{what}_{event}_year"] += counts[what]
    tick(2, 3, _("investment"))
    value = ExpressionWrapper(F("quantity") * F("project_item__plan_item__unit_cost"), output_field=MONEY)
    investment = (ProgressEntry.objects
                  .filter(project_item__plan_item__plan__community__subdistrict__parent__in=districts,
                          date__lte=month_end).order_by()
                  .values_list("project_item__plan_item__plan__community__subdistrict__parent_id")
                  .annotate(total=Sum(value), year=Sum(value, filter=Q(date__gte=year_start))))
    for district_id, total, year in investment:
        per_district[district_id]["investment_total"] += total or ZERO
        per_district[district_id]["investment_year"] += year or ZERO
    tick(3, 3, _("investment"))
    return per_district


def report_lines(month_end: datetime.date, districts, progress=None) -> list[Line]:
    """The table's rows: the total, then each province, its cities and their districts, each with a subtotal.
    A city without a province stands on its own after the provinces."""
    figures = district_figures(month_end, districts, progress)
    places = (districts.order_by().values("pk", "code", "name", "parent_id", "parent__code", "parent__name",
                                          "parent__parent_id", "parent__parent__code", "parent__parent__name"))
    total = Line("total", "", _("Total"))
    provinces: dict = {}
    for place in sorted(places, key=lambda p: (p["parent__parent__code"] or "~", p["parent__parent__name"] or "",
                                               p["parent__code"] or "", p["parent__name"] or "", p["code"] or "",
                                               p["name"])):
        province_key = place["parent__parent_id"]
        province = provinces.setdefault(province_key, {
            "line": (Line(Area.Level.PROVINCE, place["parent__parent__code"] or "", place["parent__parent__name"])
                     if province_key else None), "cities": {}})
        city = province["cities"].setdefault(place["parent_id"], {
            "line": Line(Area.Level.CITY, place["parent__code"] or "", place["parent__name"] or ""),
            "districts": []})
        district = Line(Area.Level.DISTRICT, place["code"] or "", place["name"])
        district.add(figures.get(place["pk"], _zero()))
        city["districts"].append(district)
        for line in (city["line"], province["line"], total):
            if line is not None:
                line.add(district.figures)
    lines = [total]
    for province in provinces.values():
        if province["line"] is not None:
            lines.append(province["line"])
        for city in province["cities"].values():
            lines.append(city["line"])
            lines.extend(city["districts"])
    return lines


def headers() -> list[str]:
    what = {"communities": _("communities"), "buildings": _("buildings"), "households": _("households")}
    event = {"started": _("started"), "completed": _("completed")}
    period = {"year": _("this year"), "total": _("to date")}
    columns = [_("Area"), _("Level"), _("Division code")]
    for key in KEYS[:-2]:
        w, e, p = key.split("_")
        columns.append(_("%(what)s %(event)s %(period)s") % {"what": what[w], "event": event[e], "period": period[p]})
    return columns + [_("Investment done this year (10,000 yuan)"), _("Investment done to date (10,000 yuan)")]


def level_label(level: str) -> str:
    return _("Total") if level == "total" else str(Area.Level(level).label)


def as_row(line: Line) -> list:
    values = [line.figures[key] for key in KEYS[:-2]]
    money = [round(float(line.figures[key] / WAN), 2) for key in KEYS[-2:]]
    indent = {"total": "", Area.Level.PROVINCE: "", Area.Level.CITY: "  ", Area.Level.DISTRICT: "    "}[line.level]
    return [indent + line.name, level_label(line.level), line.code, *values, *money]


def workbook_bytes(month_end: datetime.date, lines: list[Line]) -> bytes:
    workbook = excel.new_workbook()
    title = _("Monthly report %(month)s") % {"month": f"{month_end:%Y-%m}"}
    excel.add_sheet(workbook, title[:31], headers(), [as_row(line) for line in lines], {1: 24, 2: 8, 3: 12})
    return excel.to_bytes(workbook)


def filename(month_end: datetime.date, area: Area | None = None) -> str:
    place = f"{area.name}_" if area is not None else ""
    return f"老旧小区改造月报_{place}{month_end:%Y%m}.xlsx"
