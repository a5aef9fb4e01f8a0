"""Progress measures on any date, computed from the progress entries (never typed in).

Value done = quantity done × the plan item's unit cost; shares are of the planned value. A project counts as
started once its actual start date is on or before the day. A project accepted in an earlier year has left the
year's works (`of_the_year`): the 2021 dashboard and bulletin measure the 2021 works, not a pilot accepted in 2020.
"""

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, DecimalField, ExpressionWrapper, F, Max, Q, Sum
from django.utils import timezone

from gaizao.core import stamps
from gaizao.core.queries import by_ids
from gaizao.planning.models import PlanItem
from gaizao.regions.models import Area
from gaizao.regions.services import subdistrict_name
from gaizao.works import structure
from gaizao.works.kept import (
    MAX_AGE,
    SETTLE,
    _keep,
    _Kept,
    _recall,
    forget_kept_sums,  # noqa: F401 (where the tests have always asked for it)
)
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
    # Every project item's plan figures as kept (_items: project item id → project id, planned quantity, unit cost,
    # item code, name, unit, community code, sub-district id); a caller that needs them too spares the fingerprint
    # query, a count of every project item (70 ms at 50,000 communities).
    project_items: dict[int, tuple] = field(default_factory=dict)
    items_fingerprint: tuple = ()  # what project_items were checked against, for forecasts on the same request
    shape_fingerprint: tuple = ()  # what the projects' kept shape was checked against (`works.structure`)
    _sums: dict = field(default_factory=dict, repr=False)  # the kept sums these figures were read from

    @property
    def communities(self) -> dict[str, dict]:
        """Community code → planned value, value done and share; read on demand (the map), not for every page."""
        return {key: {"planned_value": values[0], "done_value": values[1], "share": _share(values[1], values[0])}
                for (kind, key), values in self._sums.items() if kind == "c"}


# ---- sums over the progress entries, kept between requests -------------------------------------------------------
#
# At province scale there are millions of progress entries and tens of thousands of project items; reading them on
# every page would take seconds. Entries are append-only (a mistake is fixed by a correcting entry), so a sum over
# the entries up to some id never changes: each process keeps such sums (per day, and per scope for the value
# series) with that id, and brings them up to date by adding only the entries written since. Entries younger than
# SETTLE are added afresh on every request and never kept, so a report still being committed while the sums were
# taken is not missed (a transaction that writes entries for longer than SETTLE could be, until the kept sums are
# dropped after MAX_AGE). The project items' plan figures are kept too, checked on every request against a
# fingerprint of the project and plan items. The pages then cost a few index look-ups and a pass over the items.

def _settled() -> tuple[int, datetime.datetime | None]:
    """The newest entry written more than SETTLE ago: (id, created_at), or (0, None)."""
    row = (ProgressEntry.objects.filter(created_at__lt=timezone.now() - SETTLE).order_by("-pk")
           .values_list("pk", "created_at").first())
    return row or (0, None)


def _kept_sums(key, rows, add, initial=dict) -> dict:
    """Sums over every entry: `rows(entries)` groups a queryset of entries (which has a `settled` column),
    `add(sums, row)` adds one of its rows; the sums start from `initial()`. Kept sums are brought up to date;
    three queries whatever the state of the kept sums."""
    upto, upto_created = _settled()
    kept = _recall(key)
    if kept is not None and (kept.upto > upto or time.monotonic() - kept.made > MAX_AGE):
        kept = None
    check = kept.upto if kept is not None else 0
    found = ProgressEntry.objects.filter(pk=check).values_list("created_at", flat=True).first()
    cold = kept is None or found != kept.upto_created
    if cold:
        kept = _Kept(0, None, time.monotonic(), initial())
    entries = ProgressEntry.objects.filter(pk__gt=kept.upto).annotate(
        settled=ExpressionWrapper(Q(pk__lte=upto), output_field=BooleanField()))
    found_rows = list(rows(entries))
    sums = kept.sums  # never changed in place once kept: other threads may be reading it
    if upto > kept.upto or cold:
        sums = sums if cold else _copy(sums)
        for row in found_rows:
            if row["settled"]:
                add(sums, row)
        _keep(key, _Kept(upto, upto_created, kept.made, sums))
    fresh = [row for row in found_rows if not row["settled"]]
    if fresh:
        sums = _copy(sums)
        for row in fresh:
            add(sums, row)
    return sums


def _copy(sums: dict) -> dict:
    return {key: list(values) for key, values in sums.items()}


ITEMS_STAMP = "works.project_items"


def watch_items() -> None:
    """Connected once the apps are ready (`WorksConfig.ready`)."""
    from gaizao.catalog.models import WorkItem

    stamps.watch(ITEMS_STAMP, ProjectItem, PlanItem, WorkItem)


def _items() -> tuple[tuple, dict[int, tuple]]:
    """(fingerprint, project item id → (project id, quantity, unit cost, item code, name, unit, community code,
    sub-district id)) for every project item, kept while the project and plan items stay the same."""
    # The stamp marks every save and delete of a project item, plan item or work item (see `watch_items`); the
    # newest ids, rows created in bulk, which send no signal. (A count of every project item took 25 ms.)
    fingerprint = stamps.fingerprint(ITEMS_STAMP, ProjectItem, PlanItem)
    kept = _recall("items")
    if kept is not None and kept.upto_created == fingerprint and time.monotonic() - kept.made < MAX_AGE:
        return fingerprint, kept.sums
    items = {pk: rest for pk, *rest in ProjectItem.objects.order_by().values_list(
        "pk", "project_id", "plan_item__quantity", "plan_item__unit_cost", "plan_item__item__code",
        "plan_item__item__name", "plan_item__item__unit", "plan_item__plan__community__code",
        "plan_item__plan__community__subdistrict_id")}
    _keep("items", _Kept(0, fingerprint, time.monotonic(), items))
    return fingerprint, items


def _item_names(items: dict) -> dict[str, tuple]:
    """Work item code → (name, unit), kept beside the project items they are read from: a pass over every
    project item took 110 ms a request at 50,000 communities (175,000 items) for a few dozen names."""
    kept = _recall("item_names")
    if kept is not None and kept.upto_created is items:
        return kept.sums
    names = {item[3]: (item[4], item[5]) for item in items.values()}
    _keep("item_names", _Kept(0, items, time.monotonic(), names))
    return names


def items_by_project(items: dict) -> dict[int, list[int]]:
    """Project id → its project items' ids, kept beside the project items they are read from (`Measures
    .project_items`): the roll-up read a province's 30,000 items back from the database on every request."""
    kept = _recall("items_by_project")
    if kept is not None and kept.upto_created is items:
        return kept.sums
    found = defaultdict(list)
    for pk, item in items.items():
        found[item[0]].append(pk)
    found = dict(found)
    _keep("items_by_project", _Kept(0, items, time.monotonic(), found))
    return found


def _rolled_up(day, projects, visible: set, kept_items=None) -> tuple[dict, dict, tuple]:
    """(sums, items, their fingerprint). `kept_items`: (fingerprint, items) this request checked already.
    Planned and done on the day, per project ("p", id), community ("c", code), sub-district ("s", id) as
    [planned value, done value] and per work item ("i", code) as [planned, done, done value]; and the items.
    Kept per day and scope (see above): a request adds only the entries written since."""
    fingerprint, items = kept_items or _items()

    def initial():
        sums = {}
        for project_id, quantity, unit_cost, code, _name, _unit, community, subdistrict in items.values():
            if project_id in visible:
                planned_value = quantity * unit_cost
                for key in (("p", project_id), ("c", community), ("s", subdistrict)):
                    sums.setdefault(key, [ZERO, ZERO])[0] += planned_value
                sums.setdefault(("i", code), [ZERO, ZERO, ZERO])[0] += quantity
        return sums

    def rows(entries):
        return (entries.filter(project_item__project__in=projects, date__lte=day).order_by()
                .values("project_item_id", "settled").annotate(total=Sum("quantity")))

    def add(sums, row):
        item = items.get(row["project_item_id"])
        if item is None or item[0] not in visible:
            return
        project_id, _quantity, unit_cost, code, _name, _unit, community, subdistrict = item
        value = row["total"] * unit_cost
        for key in (("p", project_id), ("c", community), ("s", subdistrict)):
            sums.setdefault(key, [ZERO, ZERO])[1] += value
        totals = sums.setdefault(("i", code), [ZERO, ZERO, ZERO])
        totals[1] += row["total"]
        totals[2] += value

    scope = hash(tuple(sorted(visible)))
    return _kept_sums(("measures", day, scope, fingerprint), rows, add, initial), items, fingerprint


def quantities_done(day: datetime.date) -> dict[int, list]:
    """Project item id → [quantity reported up to the day], for every item (kept per day, see above): the roll-up
    counts the items complete without summing millions of progress entries on each request."""

    def rows(entries):
        return (entries.filter(date__lte=day).order_by().values("project_item_id", "settled")
                .annotate(total=Sum("quantity")))

    def add(sums, row):
        sums.setdefault(row["project_item_id"], [ZERO])[0] += row["total"]

    return _kept_sums(("quantities", day), rows, add)


def of_the_year(projects, day: datetime.date):
    """The projects still in the works of the day's year: not accepted before it began."""
    return projects.exclude(acceptance__date__lt=datetime.date(day.year, 1, 1))


def measures_on(day: datetime.date, projects=None) -> Measures:
    projects = of_the_year(Project.objects.all() if projects is None else projects, day)
    ids = list(projects.order_by().values_list("pk", flat=True))
    # The projects' names, starts and communities come from their kept shape (`works.structure`); only the scope's
    # ids are read. A project is placed in the sub-district of its first community (by code).
    shape = structure.current(ids)
    project_rows = [(pk, *shape.projects[pk][:5]) for pk in ids]
    first = shape.first
    linked_subs = {shape.communities[community][2] for pk in ids for community in shape.communities_of.get(pk, ())}
    sums, items, fingerprint = _rolled_up(day, projects, set(ids))
    sum_subs, item_codes = set(), []
    for kind, key in sums:
        if kind == "s":
            sum_subs.add(key)
        elif kind == "i":
            item_codes.append(key)
    # sub-district id → (code, name, district id, district code, district name); a plan item's community is one of
    # its project's, so the kept shape names them all but in a data set set up by hand.
    areas = {sub_id: shape.areas[sub_id] for sub_id in linked_subs | sum_subs if sub_id in shape.areas}
    if len(areas) < len(linked_subs | sum_subs):
        areas.update({pk: rest for pk, *rest in by_ids(Area.objects.all(), (linked_subs | sum_subs) - set(areas))
                      .values_list("pk", "code", "name", "parent_id", "parent__code", "parent__name")})
    districts = {sub_id: (areas[sub_id][3] or "", areas[sub_id][4]) for sub_id in linked_subs if sub_id in areas}
    # Every district has its 东城办事处: beyond one district a sub-district is named with its district.
    named_with_district = len(set(districts.values())) > 1
    result = Measures(day=day, project_items=items, items_fingerprint=fingerprint,
                      shape_fingerprint=shape.fingerprint)
    result._sums = sums
    names = _item_names(items)
    for code in sorted(item_codes):
        planned, done, done_value = sums[("i", code)]
        name, unit = names.get(code, (code, ""))
        result.items.append({"code": code, "name": name, "unit": unit, "planned": planned, "done": done,
                             "done_value": done_value})
    per_sub = {sub_id: {"planned_value": values[0], "done_value": values[1], "projects": 0, "started": 0}
               for sub_id in sum_subs for values in (sums[("s", sub_id)],)}
    sub_names = {}
    planned = done = ZERO
    started_count = 0
    for pk, code, name, contractor, actual_start, status in sorted(project_rows, key=lambda row: row[1]):
        sub_id = first[pk][1] if pk in first else None
        sub_name = ""
        if sub_id is not None:
            area = areas.get(sub_id)
            sub_name = area[1] if area else ""
            if named_with_district:
                sub_name = subdistrict_name(sub_name, districts[sub_id][1], True)
            sub_names[sub_id] = ((area[0] if area else "") or "", sub_name)
        started = actual_start is not None and actual_start <= day
        if sub_id is not None:
            bucket = per_sub.setdefault(sub_id, {"planned_value": ZERO, "done_value": ZERO, "projects": 0,
                                                 "started": 0})
            bucket["projects"] += 1
            bucket["started"] += started
        project_planned, project_done = sums.get(("p", pk), (ZERO, ZERO))
        planned += project_planned
        done += project_done
        started_count += started
        result.projects.append({
            "id": pk, "code": code, "name": name, "contractor": contractor, "subdistrict": sub_name,
            "subdistrict_id": sub_id, "started": started, "actual_start": actual_start, "status": status,
            "planned_value": project_planned, "done_value": project_done, "share": _share(project_done,
                                                                                          project_planned),
        })
    subs = []
    for sub_id, values in per_sub.items():
        code, name = sub_names.get(sub_id, ("", str(sub_id)))
        subs.append({"id": sub_id, "code": code, "name": name, "district": districts.get(sub_id, ("", "")), **values,
                     "share": _share(values["done_value"], values["planned_value"]),
                     "start_rate": values["started"] / values["projects"] if values["projects"] else 0.0})
    subs.sort(key=lambda s: (-s["share"], s["code"]))
    for rank, sub in enumerate(subs, start=1):
        sub["rank"] = rank
    result.subdistricts = subs
    count = len(result.projects)
    result.district = {"planned_value": planned, "done_value": done, "share": _share(done, planned),
                       "projects": count, "started": started_count,
                       "start_rate": started_count / count if count else 0.0}
    return result


def project_values(day: datetime.date, projects, ids) -> dict[int, dict]:
    """Planned value, value done, share and sub-district of the projects `ids` (a list page's) among `projects`
    (the user's scope) on the day: the same figures as `measures_on(day, projects)`, read from the scope's kept
    sums without measuring every project of the scope (its Python pass and two queries of every project took
    180 ms of the whole platform's project list at 50,000 communities, for 50 rows)."""
    projects = of_the_year(projects, day)
    visible = set(projects.order_by().values_list("pk", flat=True))
    sums, _items, _fingerprint = _rolled_up(day, projects, visible)
    links = defaultdict(list)
    for project_id, *community in (
            Project.communities.through.objects.filter(project__in=[pk for pk in ids if pk in visible])
            .values_list("project_id", "community__code", "community__subdistrict__name",
                         "community__subdistrict__parent__name")):
        links[project_id].append(community)
    # Named as measures_on names them: with the district when the scope spans more than one.
    wide = projects.values("communities__subdistrict__parent").distinct().order_by()[:2].count() > 1
    found = {}
    for pk in ids:
        if pk not in visible:
            continue
        planned, done = sums.get(("p", pk), (ZERO, ZERO))
        _code, name, district = min(links[pk]) if links[pk] else (None, "", "")
        found[pk] = {"planned_value": planned, "done_value": done, "share": _share(done, planned),
                     "subdistrict": subdistrict_name(name, district, wide)}
    return found


def latest_entry_date(projects) -> datetime.date | None:
    """The newest date any of these projects reported work on (kept per project, see above)."""
    visible = set(projects.values_list("pk", flat=True))

    def rows(entries):
        return (entries.order_by().values("project_item__project_id", "settled").annotate(last=Max("date")))

    def add(latest, row):
        found = latest.setdefault(row["project_item__project_id"], [row["last"]])
        found[0] = max(found[0], row["last"])

    latest = _kept_sums(("latest",), rows, add)
    return max((latest[pk][0] for pk in visible if pk in latest), default=None)


def value_series(projects, until: datetime.date) -> list[tuple[datetime.date, Decimal]]:
    """Cumulative value done by date, for the dashboard's progress line (kept sums per scope, see above)."""
    value = ExpressionWrapper(F("quantity") * F("project_item__plan_item__unit_cost"), output_field=MONEY)
    projects = of_the_year(projects, until)
    scope = hash(tuple(sorted(projects.values_list("pk", flat=True))))

    def rows(entries):
        return (entries.filter(project_item__project__in=projects, date__lte=until).order_by()
                .values("date", "settled").annotate(total=Sum(value)))

    def add(sums, row):
        sums.setdefault(row["date"], [ZERO])[0] += row["total"]

    by_date = _kept_sums(("series", scope, until), rows, add)
    running, series = ZERO, []
    for date in sorted(by_date):
        running += by_date[date][0]
        series.append((date, running))
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


def forecasts(day: datetime.date, milestone: Milestone, projects=None, window_days: int = 28,
              now: Measures | None = None) -> list[Forecast]:
    """Each project's value at the milestone date, at its reporting rate of the last `window_days` (`now`: the
    measures on the day, when the caller has them already)."""
    now = now if now is not None and now.day == day else measures_on(day, projects)
    # Only each project's value done on the earlier day is needed: its kept sums, not a second full measures_on
    # (which read every project and its communities again: 150 ms of the whole platform's dashboard at 50,000
    # communities). The projects of `now` are the year's; the earlier day's own year can only hold more.
    earlier = day - datetime.timedelta(days=window_days)
    visible = {p["id"] for p in now.projects}
    sums, _found, _fingerprint = _rolled_up(
        earlier, of_the_year(Project.objects.all() if projects is None else projects, day), visible,
        kept_items=(now.items_fingerprint, now.project_items) if now.items_fingerprint else None)
    remaining = max((milestone.date - day).days, 0)
    found = []
    for project in now.projects:
        before = sums.get(("p", project["id"]))
        rate = (project["done_value"] - (before[1] if before is not None else ZERO)) / window_days
        forecast = min(project["done_value"] + rate * remaining, project["planned_value"])
        target = project["planned_value"] * milestone.target_share
        found.append(Forecast(project, forecast, target, max(target - forecast, ZERO)))
    return found
