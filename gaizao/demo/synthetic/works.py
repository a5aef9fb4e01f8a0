"""Synthetic plans, programmes, projects and two years of progress reports.

Communities of the 2025 and 2026 batches have approved plans and projects; 2027's plans are published for the
residents' vote. 2025's works are finished (most accepted), 2026's are under way on the report day.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from gaizao.catalog.models import QuantityRule, WorkItem
from gaizao.catalog.services import with_cost_on
from gaizao.core import stamps
from gaizao.demo.synthetic.bulk import create_objects, insert_rows
from gaizao.planning.models import (
    Assignment,
    CommunityPlan,
    FundingShare,
    FundingSource,
    PlanItem,
    Programme,
    ProgrammeYear,
)
from gaizao.planning.plans import quantities_for_buildings
from gaizao.works.models import Acceptance, Milestone, ProgressEntry, Project, ProjectItem

COST_DATE = datetime.date(2025, 1, 1)
FIRST_YEAR, LAST_YEAR, CURRENT_YEAR = 2025, 2029, 2026
REPORT_DAY = datetime.date(2026, 11, 25)
WITH_PROJECTS = {2025, 2026}
WITH_PLANS = {2025: CommunityPlan.Status.APPROVED, 2026: CommunityPlan.Status.APPROVED,
              2027: CommunityPlan.Status.PUBLISHED}
# Items every plan has when its rule gives a quantity, and the ones a plan takes now and then.
ALWAYS = {"JC04", "JC05", "JC06", "JC07", "JC08", "JC10", "JC11", "JC14", "JC16"}
SOMETIMES = {"JC02": 0.5, "JC03": 0.4, "JC17": 0.5, "WS02": 0.6, "WS05": 0.3, "TS01": 0.1}
FUNDING = [(FundingSource.CENTRAL_SUBSIDY, Decimal("0.6")), (FundingSource.PROVINCIAL_BUDGET, Decimal("0.2"))]
CENT = Decimal("0.01")


def _catalog():
    items = with_cost_on(WorkItem.objects.filter(code__in=ALWAYS | set(SOMETIMES)), COST_DATE)
    return [item for item in items.order_by("code") if item.unit_cost and item.quantity_rule != QuantityRule.NONE]


def make_plans(rng, communities, buildings_by_community) -> dict[int, list[PlanItem]]:
    """Plans with items and funding; each planned community's investment estimate becomes its plan's total."""
    catalog = _catalog()
    planned = [c for c in communities if c.batch_year in WITH_PLANS]
    now = timezone.now()
    plans = [CommunityPlan(community=c, version=1, status=WITH_PLANS[c.batch_year], cost_date=COST_DATE,
                           published_at=now, approved_at=now if WITH_PLANS[c.batch_year] == "approved" else None)
             for c in planned]
    create_objects(CommunityPlan, plans)
    items, funding = [], []
    items_by_community = {}
    for community, plan in zip(planned, plans, strict=True):
        quantities = quantities_for_buildings(buildings_by_community[community.pk])
        chosen = []
        for item in catalog:
            if item.code in ALWAYS or rng.random() < SOMETIMES.get(item.code, 0):
                quantity = quantities[item.quantity_rule]
                if quantity > 0:
                    chosen.append(PlanItem(plan=plan, item=item, quantity=quantity, unit_cost=item.unit_cost))
        total = sum((i.quantity * i.unit_cost).quantize(CENT, ROUND_HALF_UP) for i in chosen)
        rest = total
        for source, share in FUNDING:
            amount = (total * share).quantize(CENT)
            funding.append(FundingShare(plan=plan, source=source, yuan=amount))
            rest -= amount
        funding.append(FundingShare(plan=plan, source=FundingSource.LOCAL_BUDGET, yuan=rest))
        community.investment_estimate = total
        items.extend(chosen)
        items_by_community[community.pk] = chosen
    create_objects(PlanItem, items)
    create_objects(FundingShare, funding)
    type(communities[0]).objects.bulk_update(planned, ["investment_estimate"], batch_size=2000)
    stamps.changed(type(communities[0]))  # a running server's kept summaries learn of the new estimates
    return items_by_community


def make_programmes(rng, communities, districts, cost_per_m2, buildings_by_community) -> int:
    """One five-year programme per district; each eligible community assigned to its batch year."""
    by_district = defaultdict(list)
    for c in communities:
        if c.is_eligible:
            by_district[c.subdistrict.district.pk].append(c)
    programmes, years, assignments = [], [], []
    for district in districts:
        name = f"{district.parent.name}{district.name}{FIRST_YEAR}—{LAST_YEAR}年老旧小区改造计划"
        programme = Programme(name=name, district=district,
                              first_year=FIRST_YEAR, last_year=LAST_YEAR, current_year=CURRENT_YEAR)
        programmes.append(programme)
    create_objects(Programme, programmes)
    for programme, district in zip(programmes, districts, strict=True):
        cost_by_year = defaultdict(Decimal)
        for c in by_district[district.pk]:
            buildings = buildings_by_community[c.pk]
            area = sum((b.floor_area_m2 for b in buildings), Decimal(0))
            cost = c.investment_estimate or (area * cost_per_m2).quantize(CENT)
            cost_by_year[c.batch_year] += cost
            assignments.append(Assignment(
                programme=programme, community=c, year=c.batch_year, need_score=Decimal(f"{rng.uniform(20, 95):.2f}"),
                cost_yuan=cost, households=sum(b.households for b in buildings), reason="need",
                pinned_year=c.batch_year if c.batch_year <= CURRENT_YEAR else None))
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            budget = (cost_by_year[year] * Decimal("1.05")).quantize(Decimal("1"))
            years.append(ProgrammeYear(programme=programme, year=year, budget_yuan=budget))
    create_objects(ProgrammeYear, years)
    create_objects(Assignment, assignments)
    return len(programmes)


@dataclass
class Work:
    project: Project
    communities: list
    started: bool
    share: float  # of the planned quantities done by the report day
    items: list


def make_projects(rng, communities, items_by_community, contractors, supervisors) -> list[Work]:
    """Projects of one to three communities of a sub-district."""
    by_sub = defaultdict(list)
    for c in communities:
        if c.batch_year in WITH_PROJECTS and items_by_community.get(c.pk):
            by_sub[(c.batch_year, c.subdistrict_id)].append(c)
    projects, memberships, plans = [], [], []
    number = 0
    for (year, _sub), group in sorted(by_sub.items()):
        start = 0
        while start < len(group):
            size = rng.choice([1, 1, 2, 2, 3])
            chunk = group[start:start + size]
            start += size
            number += 1
            planned_start = datetime.date(year, 3, 1) + datetime.timedelta(days=rng.randint(0, 75))
            value = sum((c.investment_estimate for c in chunk), Decimal(0))
            project = Project(code=f"{chunk[0].code[:-7]}-{year}-{number:05d}",
                              name=f"{year}年老旧小区改造项目（{'、'.join(c.name for c in chunk)}）"[:150],
                              contractor=rng.choice(contractors), supervisor=rng.choice(supervisors),
                              contract_value=value, planned_start=planned_start,
                              planned_finish=planned_start + datetime.timedelta(days=rng.randint(200, 280)))
            if year < CURRENT_YEAR:
                share, started = 1.0, True
            else:
                started = rng.random() < 0.92
                share = rng.uniform(0.25, 0.98) if started else 0.0
            if started:
                project.actual_start = planned_start + datetime.timedelta(days=rng.randint(0, 20))
                project.status = Project.Status.UNDER_CONSTRUCTION
                if share >= 1.0:
                    project.status = Project.Status.COMPLETED
                    project.actual_finish = min(project.planned_finish + datetime.timedelta(days=rng.randint(-20, 40)),
                                                REPORT_DAY)
            projects.append(project)
            memberships.append(chunk)
            plans.append((started, share))
    create_objects(Project, projects)
    through = Project.communities.through
    create_objects(through, [through(project_id=p.pk, community_id=c.pk)
                             for p, chunk in zip(projects, memberships, strict=True) for c in chunk])
    project_items, result = [], []
    for project, chunk, (started, share) in zip(projects, memberships, plans, strict=True):
        mine = [ProjectItem(project=project, plan_item=i) for c in chunk for i in items_by_community[c.pk]]
        project_items.extend(mine)
        result.append(Work(project, chunk, started, share, mine))
    create_objects(ProjectItem, project_items)
    return result


def _parts(total: Decimal, count: int, rng) -> list[Decimal]:
    """`count` positive amounts adding up to `total` exactly (cumulative rounding keeps every part positive)."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(count)]
    whole, running, previous, parts = sum(weights), 0.0, Decimal(0), []
    for w in weights:
        running += w
        cumulative = (total * Decimal(running / whole)).quantize(CENT)
        parts.append(cumulative - previous)
        previous = cumulative
    parts[-1] += total - previous
    return [p for p in parts if p > 0]


def _lines_per_item(caps: list[int], wanted: int) -> int:
    """The smallest per-item number of lines that gives `wanted` lines when small quantities cap theirs."""
    low, high = 1, max(caps, default=1)
    while low < high:
        middle = (low + high) // 2
        if sum(min(middle, cap) for cap in caps) >= wanted:
            high = middle
        else:
            low = middle + 1
    return low


def make_progress(rng, projects, reporters, lines_wanted: int, progress) -> int:
    """Reports on each started item, spread from the project's start to its finish or the report day."""
    done_by_item = {}
    for work in projects:
        if work.started:
            for item in work.items:
                planned = item.plan_item.quantity
                done_by_item[item.pk] = planned if work.share >= 1.0 else (
                    planned * Decimal(work.share * rng.uniform(0.9, 1.0))).quantize(CENT)
    # A line adds at least about one unit, so an item of 3 doors gets at most 3 lines.
    caps = {pk: max(1, int(quantity)) for pk, quantity in done_by_item.items()}
    per_item = _lines_per_item(list(caps.values()), lines_wanted)
    total_projects = len(projects)

    def rows():
        now = timezone.now()
        for done, work in enumerate(projects, start=1):
            project = work.project
            if work.started:
                reporter = reporters[project.contractor_id]
                last = project.actual_finish or REPORT_DAY
                span = max((last - project.actual_start).days, 1)
                for item in work.items:
                    count = min(per_item, caps[item.pk])
                    for n, part in enumerate(_parts(done_by_item[item.pk], count, rng)):
                        day = project.actual_start + datetime.timedelta(days=span * n // count)
                        yield (item.pk, day, part, ProgressEntry.Kind.REPORT, "", "", reporter.pk,
                               reporter.first_name, now)
            if done % 100 == 0 or done == total_projects:
                progress(done, total_projects, "progress")

    fields = ["project_item", "date", "quantity", "kind", "reason", "note", "reporter", "reporter_name",
              "created_at"]
    return insert_rows(ProgressEntry, fields, rows())


def make_acceptances(rng, projects, bureau) -> int:
    """Most finished projects of the earlier batch were accepted with the residents present."""
    accepted = []
    for work in projects:
        project = work.project
        if work.share >= 1.0 and rng.random() < 0.8:
            day = project.actual_finish + datetime.timedelta(days=rng.randint(5, 30))
            accepted.append(Acceptance(project=project, date=min(day, REPORT_DAY), recorded_by=bureau,
                                       checklist={"quality": True, "documents": True, "residents": True},
                                       participants="建设单位\n施工单位\n监理单位\n居民代表"))
            project.status = Project.Status.ACCEPTED
    create_objects(Acceptance, accepted)
    Project.objects.bulk_update([a.project for a in accepted], ["status"], batch_size=2000)
    return len(accepted)


def make_milestones(districts) -> None:
    create_objects(Milestone, [Milestone(area=d, date=datetime.date(CURRENT_YEAR, 12, 31),
                                         target_share=Decimal("0.80"), name="年底完成80%") for d in districts])
