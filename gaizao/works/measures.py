"""Progress measures on any date, computed from the progress entries (never typed in).

Value done = quantity done × the plan item's unit cost; shares are of the planned value. A project counts as
started once its actual start date is on or before the day.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from gaizao.works.models import Milestone, ProgressEntry, Project, ProjectItem

ZERO = Decimal(0)
MONEY = DecimalField(max_digits=18, decimal_places=4)


def _share(done, planned) -> float:
    return float(done / planned) if planned else 0.0


@dataclass
class Measures:
    day: datetime.date
    district: dict = field(default_factory=dict)
    subdistricts: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    projects: list[dict] = field(default_factory=list)
    communities: dict[str, dict] = field(default_factory=dict)


def _item_rows(day, projects):
    done = (ProgressEntry.objects.filter(project_item=OuterRef("pk"), date__lte=day).order_by()
            .values("project_item").annotate(total=Sum("quantity")).values("total"))
    return (ProjectItem.objects.filter(project__in=projects)
            .annotate(done=Coalesce(Subquery(done, output_field=DecimalField(max_digits=14, decimal_places=2)),
                                    Value(ZERO)))
            .values("project_id", "plan_item__quantity", "plan_item__unit_cost", "plan_item__item__code",
                    "plan_item__item__name", "plan_item__item__unit", "plan_item__plan__community__code",
                    "plan_item__plan__community__subdistrict_id", "done"))


def measures_on(day: datetime.date, projects=None) -> Measures:
    projects = Project.objects.all() if projects is None else projects
    project_rows = {p.pk: p for p in projects.select_related("contractor").prefetch_related("communities__subdistrict")}
    result = Measures(day=day)
    per_project = defaultdict(lambda: {"planned_value": ZERO, "done_value": ZERO})
    per_sub = defaultdict(lambda: {"planned_value": ZERO, "done_value": ZERO, "projects": 0, "started": 0})
    per_item: dict[str, dict] = {}
    per_community = defaultdict(lambda: {"planned_value": ZERO, "done_value": ZERO})
    sub_names = {}
    for row in _item_rows(day, projects):
        planned_value = row["plan_item__quantity"] * row["plan_item__unit_cost"]
        done_value = row["done"] * row["plan_item__unit_cost"]
        for bucket in (per_project[row["project_id"]], per_sub[row["plan_item__plan__community__subdistrict_id"]],
                       per_community[row["plan_item__plan__community__code"]]):
            bucket["planned_value"] += planned_value
            bucket["done_value"] += done_value
        item = per_item.setdefault(row["plan_item__item__code"], {
            "code": row["plan_item__item__code"], "name": row["plan_item__item__name"],
            "unit": row["plan_item__item__unit"], "planned": ZERO, "done": ZERO, "done_value": ZERO})
        item["planned"] += row["plan_item__quantity"]
        item["done"] += row["done"]
        item["done_value"] += done_value
    for project in project_rows.values():
        communities = sorted(project.communities.all(), key=lambda c: c.code)
        sub = communities[0].subdistrict if communities else None
        started = project.actual_start is not None and project.actual_start <= day
        if sub is not None:
            sub_names[sub.pk] = (sub.code or "", sub.name)
            per_sub[sub.pk]["projects"] += 1
            per_sub[sub.pk]["started"] += started
        values = per_project[project.pk]
        result.projects.append({
            "id": project.pk, "code": project.code, "name": project.name, "contractor": project.contractor.name,
            "subdistrict": sub.name if sub else "", "started": started, "actual_start": project.actual_start,
            "status": project.status, "planned_value": values["planned_value"], "done_value": values["done_value"],
            "share": _share(values["done_value"], values["planned_value"]),
        })
    subs = []
    for sub_id, values in per_sub.items():
        code, name = sub_names.get(sub_id, ("", str(sub_id)))
        subs.append({"id": sub_id, "code": code, "name": name, **values,
                     "share": _share(values["done_value"], values["planned_value"]),
                     "start_rate": values["started"] / values["projects"] if values["projects"] else 0.0})
    subs.sort(key=lambda s: (-s["share"], s["code"]))
    for rank, sub in enumerate(subs, start=1):
        sub["rank"] = rank
    result.subdistricts = subs
    planned = sum((p["planned_value"] for p in result.projects), ZERO)
    done = sum((p["done_value"] for p in result.projects), ZERO)
    started = sum(1 for p in result.projects if p["started"])
    result.district = {"planned_value": planned, "done_value": done, "share": _share(done, planned),
                       "projects": len(result.projects), "started": started,
                       "start_rate": started / len(result.projects) if result.projects else 0.0}
    result.items = sorted(per_item.values(), key=lambda i: i["code"])
    result.communities = {code: {**v, "share": _share(v["done_value"], v["planned_value"])}
                          for code, v in per_community.items()}
    result.projects.sort(key=lambda p: p["code"])
    return result


def value_series(projects, until: datetime.date) -> list[tuple[datetime.date, Decimal]]:
    """Cumulative value done by date, for the dashboard's progress line."""
    value = ExpressionWrapper(F("quantity") * F("project_item__plan_item__unit_cost"), output_field=MONEY)
    rows = (ProgressEntry.objects.filter(project_item__project__in=projects, date__lte=until)
            .values("date").annotate(total=Sum(value)).order_by("date"))
    running, series = ZERO, []
    for row in rows:
        running += row["total"]
        series.append((row["date"], running))
    return series


@dataclass
class Forecast:
    project: dict
    forecast_value: Decimal
    target_value: Decimal
    shortfall: Decimal

    @property
    def at_risk(self) -> bool:
        return self.shortfall > 0


def forecasts(day: datetime.date, milestone: Milestone, projects=None, window_days: int = 28) -> list[Forecast]:
    """Each project's value at the milestone date, at its reporting rate of the last `window_days`."""
    now = measures_on(day, projects)
    before = {p["id"]: p for p in measures_on(day - datetime.timedelta(days=window_days), projects).projects}
    remaining = max((milestone.date - day).days, 0)
    found = []
    for project in now.projects:
        rate = (project["done_value"] - before.get(project["id"], {}).get("done_value", ZERO)) / window_days
        forecast = min(project["done_value"] + rate * remaining, project["planned_value"])
        target = project["planned_value"] * milestone.target_share
        found.append(Forecast(project, forecast, target, max(target - forecast, ZERO)))
    return found
