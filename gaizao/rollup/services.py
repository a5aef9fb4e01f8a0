"""Roll-up: the same figures for every sub-district, summed to its district, city and province.

Every figure is kept as an additive count or amount per sub-district (projects, value planned and done, work
items complete, households, satisfied answers …); a district, a city and a province are sums of those, and the
shares are taken from the sums last. So the figures add up exactly at every level, whichever level one opens.
Values come from the progress measures (`works.measures.measures_on`), open and overdue feedback from
`feedback.services.counts`, satisfaction from the satisfaction surveys' answers: nothing is typed in twice.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gaizao.accounts import scope
from gaizao.communities.models import Building
from gaizao.core.queries import by_ids
from gaizao.feedback import services as feedback_service
from gaizao.regions.models import Area
from gaizao.surveys.models import Survey, SurveyResponse
from gaizao.works.access import projects_visible_to
from gaizao.works.measures import ZERO, items_by_project, measures_on, of_the_year, quantities_done
from gaizao.works.models import Milestone, Project

ADDITIVE = ("projects", "started", "completed", "planned_value", "done_value", "target_value", "items", "items_done",
            "households", "responses", "satisfied", "feedback_open", "feedback_overdue")
GOOD_ANSWERS = ("satisfied", "basic")  # 满意 and 基本满意 count as satisfied, as in surveys.services.Rates


def _zero() -> dict:
    return {key: (ZERO if key.endswith("value") else 0) for key in ADDITIVE}


def _ratio(done, total):
    return float(done / total) if total else None


def with_shares(figures: dict) -> dict:
    """The shares of a row, taken from its sums (None where there is nothing to divide by)."""
    return {
        **figures,
        "share": _ratio(figures["done_value"], figures["planned_value"]) or 0.0,
        "target_share": _ratio(figures["target_value"], figures["planned_value"]) if figures["target_value"] else None,
        "quantity_share": _ratio(figures["items_done"], figures["items"]) or 0.0,
        "start_rate": _ratio(figures["started"], figures["projects"]) or 0.0,
        "completion_rate": _ratio(figures["completed"], figures["projects"]) or 0.0,
        "satisfaction": _ratio(figures["satisfied"], figures["responses"]),
    }


def add_into(total: dict, figures: dict) -> None:
    for key in ADDITIVE:
        total[key] += figures[key]


@dataclass
class Row:
    """One area's line: its figures with shares, and the rows under it (sub-districts under a district …)."""

    area_id: int
    code: str
    name: str
    level: str
    figures: dict = field(default_factory=_zero)
    children: list = field(default_factory=list)
    rank: int = 0

    @property
    def values(self) -> dict:
        return with_shares(self.figures)


def projects_in(user, districts):
    """The user's visible projects with a community in these districts (a queryset).

    Semi-joins on the project's id rather than a join with DISTINCT: every figure below nests this queryset once
    more, and PostgreSQL planned the nested DISTINCT joins as loops that took minutes on the demo."""
    in_districts = Project.communities.through.objects.filter(
        community__subdistrict__parent__in=districts).values("project_id")
    return Project.objects.filter(pk__in=projects_visible_to(user).values("pk")).filter(pk__in=in_districts)


def _by_ids(ids: list[int]):
    """These projects (a queryset; Python spent some 75 ms a request on a province's 1,800 ids as parameters)."""
    return by_ids(Project.objects.all(), ids)


def subdistrict_figures(day: datetime.date, projects) -> dict[int, dict]:
    """Sub-district id → additive figures on `day` for these projects (those still in the day's year's works)."""
    # The year's projects read once: each figure below then looks them up by id instead of nesting the visibility,
    # district and acceptance subqueries once more (each nesting was planned on its own: 0.6 s of SQL a province).
    year_ids = list(of_the_year(projects, day).order_by().values_list("pk", flat=True))
    year_projects = _by_ids(year_ids)
    measures = measures_on(day, year_projects)
    per_sub: dict[int, dict] = defaultdict(_zero)
    for sub in measures.subdistricts:
        bucket = per_sub[sub["id"]]
        bucket["projects"] += sub["projects"]
        bucket["started"] += sub["started"]
        bucket["planned_value"] += sub["planned_value"]
        bucket["done_value"] += sub["done_value"]

    # A project counts where its first community by code lies, as in the progress measures (which found it).
    first_sub = {p["id"]: p["subdistrict_id"] for p in measures.projects if p["subdistrict_id"] is not None}
    for project_id in year_projects.filter(actual_finish__lte=day).values_list("pk", flat=True):
        if project_id in first_sub:
            per_sub[first_sub[project_id]]["completed"] += 1

    # Work items complete: a project item whose reported quantity reached its planned quantity on the day. The
    # quantities are the sums each process keeps (works.measures); summing the entries here took a second per
    # request at 10,000 communities. The items are those of the kept plan figures, by project: reading a province's
    # 30,000 items back from the database took more Python than the rest of the count (an item made since shows
    # once the plan figures are read again, as before).
    done = quantities_done(day)
    items = measures.project_items
    by_project = items_by_project(items)
    for project_id in year_ids:
        for pk in by_project.get(project_id, ()):
            _project_id, planned, *_rest, sub_id = items[pk]
            bucket = per_sub[sub_id]
            bucket["items"] += 1
            bucket["items_done"] += bool(planned and done.get(pk, (ZERO,))[0] >= planned)

    # Households benefited: of the communities with a project started by the day (each community once).
    started = Project.communities.through.objects.filter(
        project__in=year_projects, project__actual_start__lte=day).values("community_id")
    for sub_id, households in (Building.objects.filter(community_id__in=started).order_by()
                               .values_list("community__subdistrict_id").annotate(n=Sum("households"))):
        per_sub[sub_id]["households"] += households or 0

    # Residents' satisfaction with the renovation: the satisfaction surveys' overall answer in these communities.
    communities = Project.communities.through.objects.filter(project__in=year_projects).values("community_id")
    answered_by = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    for sub_id, answers in (SurveyResponse.objects.filter(survey__kind=Survey.Kind.SATISFACTION,
                                                          survey__community_id__in=communities,
                                                          created_at__lt=answered_by)
                            .values_list("survey__community__subdistrict_id", "answers").iterator()):
        bucket = per_sub[sub_id]
        bucket["responses"] += 1
        bucket["satisfied"] += (answers or {}).get("overall") in GOOD_ANSWERS

    feedback = feedback_service.counts(year_projects, day)
    for sub_id, counts in feedback["subdistricts"].items():
        per_sub[sub_id]["feedback_open"] += counts["open"]
        per_sub[sub_id]["feedback_overdue"] += counts["overdue"]
    per_sub.pop(None, None)
    return per_sub


def _milestones(day: datetime.date, district_ids) -> dict[int, Milestone]:
    """Each district's milestone nearest on or after the day (as the bulletin picks it)."""
    found: dict[int, Milestone] = {}
    for milestone in Milestone.objects.filter(area_id__in=district_ids, date__gte=day).order_by("date", "pk"):
        found.setdefault(milestone.area_id, milestone)
    return found


def _tree(sub_ids) -> dict[int, dict]:
    """Sub-district id → its names and codes up to the province (None where the tree stops)."""
    fields = ["pk", "code", "name", "parent_id", "parent__code", "parent__name", "parent__parent_id",
              "parent__parent__code", "parent__parent__name", "parent__parent__parent_id",
              "parent__parent__parent__code", "parent__parent__parent__name"]
    return {row["pk"]: row for row in Area.objects.filter(pk__in=list(sub_ids)).values(*fields)}


def _ranked(rows: list[Row]) -> list[Row]:
    """By share of value done, highest first; equal shares share a rank (1, 1, 3)."""
    rows.sort(key=lambda r: (-r.values["share"], r.code, r.name))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        share = row.values["share"]
        if share != previous:
            rank, previous = position, share
        row.rank = rank
    return rows


def roll_up(user, area: Area, day: datetime.date, districts=None) -> Row:
    """The area's row with the rows under it: cities, then districts, then sub-districts, each ranked.

    `districts`: the districts to count (default: those under the area the user may see)."""
    if districts is None:
        districts = visible_districts(user, area)
    projects = projects_in(user, districts)
    per_sub = subdistrict_figures(day, projects)
    district_ids = set(districts.values_list("pk", flat=True))
    tree = {pk: row for pk, row in _tree(per_sub).items() if row["parent_id"] in district_ids}
    milestones = _milestones(day, district_ids)
    top = Row(area.pk, area.code or "", area.name, area.level)
    nodes: dict[tuple, Row] = {}

    def node(parent: Row, pk, code, name, level) -> Row:
        key = (level, pk)
        if key not in nodes:
            nodes[key] = Row(pk, code or "", name, level)
            parent.children.append(nodes[key])
        return nodes[key]

    for sub_id, figures in per_sub.items():
        place = tree.get(sub_id)
        if place is None:  # a project's other community outside the area: counted where it lies
            continue
        milestone = milestones.get(place["parent_id"])
        if milestone is not None:
            figures["target_value"] = milestone.target_share * figures["planned_value"]
        chain = [top]
        if area.level == Area.Level.PROVINCE:
            chain.append(node(top, place["parent__parent_id"], place["parent__parent__code"],
                              place["parent__parent__name"], Area.Level.CITY))
        if area.level in (Area.Level.PROVINCE, Area.Level.CITY):
            chain.append(node(chain[-1], place["parent_id"], place["parent__code"], place["parent__name"],
                              Area.Level.DISTRICT))
        chain.append(node(chain[-1], sub_id, place["code"], place["name"], Area.Level.SUBDISTRICT))
        for row in chain:
            add_into(row.figures, figures)
    _rank_all(top)
    return top


def _rank_all(row: Row) -> None:
    _ranked(row.children)
    for child in row.children:
        _rank_all(child)


def visible_districts(user, area: Area):
    """The districts under `area` that the user sees."""
    districts = scope.districts_under(area)
    mine = scope.districts_for(user)
    return districts if mine is None else districts.filter(pk__in=mine)


def rows_under(top: Row) -> list[Row]:
    """The districts of a city or province (with their cities' subtotals first in a province), or a district's
    sub-districts: the rows a ranking shows, in order."""
    if top.level == Area.Level.PROVINCE:
        rows = []
        for city in top.children:
            rows.append(city)
            rows.extend(city.children)
        return rows
    return top.children


def districts_ranked(top: Row) -> list[Row]:
    """Every district under the area, ranked across cities (the chart and the ranking's rank column)."""
    if top.level == Area.Level.DISTRICT:
        return top.children
    if top.level == Area.Level.CITY:
        return top.children
    return _ranked([d for city in top.children for d in city.children])


def chart(top: Row) -> dict:
    """ECharts data for the ranking chart (floats and strings only), like the bulletin's."""
    rows = districts_ranked(top)
    return {
        "labels": [r.name for r in rows],
        "series": [
            {"name": _("Share of value done"), "data": [round(r.values["share"] * 100, 2) for r in rows]},
            {"name": _("Share of work items complete"),
             "data": [round(r.values["quantity_share"] * 100, 2) for r in rows]},
            {"name": _("Start rate"), "data": [round(r.values["start_rate"] * 100, 2) for r in rows]},
        ],
        "target": None,
        "targetName": "",
    }


def top_areas(user):
    """The areas a user's roll-up starts from: their own, else every province and the cities without one."""
    areas = scope.roll_up_areas(user)
    if scope.is_scoped(user):
        return areas.filter(pk=user.area_id)
    return areas.filter(Q(level=Area.Level.PROVINCE) | Q(level=Area.Level.CITY, parent__isnull=True))

