"""The demo's construction (施工): 40 projects for the 2021 batch, 37 of them started, with progress reports up
to the newspaper's date whose totals are exactly the published ones (domain.md section 1), and the district's
milestone of 80 % of the planned value by the end of December.

Everything rests on approved community plans: each of the 49 communities gets a plan whose total is its
census investment estimate, so the district summary keeps the published 236 M yuan. The progress of a
project follows a clock (how far its works have come by 2021-11-25); each work item is done in its own part
of that clock (demolition and pipes first, windows and insulation next, paint, roads and greening last). The
quantities of the ten published items are then shared out among the started projects so that their sums are
the newspaper's to the unit. A fixed seed keeps every load identical.
"""

import datetime
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from gaizao.accounts.models import User
from gaizao.catalog.models import QuantityRule, Unit, WorkItem
from gaizao.catalog.services import with_cost_on
from gaizao.communities.models import Community
from gaizao.demo.yanhu import DISTRICT_CODE, SUBDISTRICTS
from gaizao.planning import plans
from gaizao.planning.models import CommunityPlan, FundingSource
from gaizao.regions.models import Area
from gaizao.works.models import (
    Company,
    CompanyMember,
    Milestone,
    Photo,
    ProgressEntry,
    Project,
    ProjectItem,
)

SEED = 20211125
REPORT_DAY = datetime.date(2021, 11, 25)  # the newspaper page
COST_DATE = datetime.date(2021, 3, 1)
CODE_PREFIX = "YH2021-"
PROJECT_NAME = "盐湖区2021年老旧小区改造项目第{n}标段（{names}）"
STARTED = 37
# Published on 2021-11-25: quantities done per catalog item, in the item's unit.
NEWSPAPER_TOTALS = {
    "JC01": 2000,  # m² illegal structures removed
    "JC02": 3710,  # households of PVC windows
    "JC03": 123000,  # m² wall insulation
    "JC04": 14000,  # m² roof waterproofing
    "JC05": 25000,  # m² stairwell paint
    "JC06": 35000,  # m² exterior paint
    "JC07": 6894,  # m power and telecom trenches
    "JC08": 3188,  # m sewer
    "JC10": 4632,  # m heating
    "JC11": 245,  # m water supply
}
MILESTONE = {"date": datetime.date(2021, 12, 31), "target_share": Decimal("0.80"), "name": "年底完成80%"}
FUNDING = [(FundingSource.CENTRAL_SUBSIDY, Decimal("0.6")), (FundingSource.PROVINCIAL_BUDGET, Decimal("0.2"))]
FUNDING_REST = FundingSource.LOCAL_BUDGET

KANGJIE = "康杰中学家属院"
KANGJIE_CONTRACTOR = "中建交通建设集团"  # named by the article
CONTRACTOR_USER = "contractor"
# name, contact person, phone
CONTRACTORS = [
    (KANGJIE_CONTRACTOR, "孙卫国", "0359-2285106"),
    ("山西建投运城建设工程有限公司", "裴志刚", "0359-2096218"),
    ("山西中条建设工程有限公司", "柴永红", "0359-2651337"),
    ("山西晋南建筑安装工程有限公司", "卫建平", "0359-2130529"),
    ("运城市盐湖建筑工程有限公司", "薛国栋", "0359-2023861"),
    ("运城市河东建筑工程有限公司", "畅文斌", "0359-2218470"),
    ("运城市安泰建筑工程有限公司", "董海军", "0359-2552914"),
    ("运城市恒达市政工程有限公司", "景保平", "0359-2387645"),
]
SUPERVISORS = [
    ("运城市建设监理有限公司", "宁晓峰", "0359-2062153"),
    ("山西诚信工程监理有限公司", "席红梅", "0359-2416790"),
    ("运城市正衡工程监理有限公司", "姚立新", "0359-2329084"),
]
SURNAMES = "王李张刘杨赵薛裴柴卫畅董景宁席姚贾吉"
GIVEN_NAMES = ("建国", "志强", "海军", "卫东", "晓峰", "红军", "立新", "国栋", "永刚", "文斌", "鹏飞", "保平",
               "俊杰", "小龙", "军平", "宏伟")

# Per sub-district: days the starts lag behind 15 April, and how fast the works go (the slower offices are the
# ones a bulletin shows at the bottom); two-community projects; the one project that has not started.
PACE = {"东城办事处": (0, 1.10), "中城办事处": (5, 1.05), "西城办事处": (10, 1.00), "南城办事处": (10, 0.98),
        "北城办事处": (20, 0.95), "安邑办事处": (25, 0.92), "姚孟办事处": (30, 0.88)}
PAIRS = {"东城办事处": 2, "中城办事处": 2, "西城办事处": 1, "南城办事处": 1, "北城办事处": 1, "安邑办事处": 1,
         "姚孟办事处": 1}
NOT_STARTED_IN = ("北城办事处", "安邑办事处", "姚孟办事处")
FIRST_START = datetime.date(2021, 4, 15)
LAST_START = datetime.date(2021, 10, 12)
CLOCK_DAYS = 205  # days of work from start to finish at a normal pace (the winter break aside)

# When in a project's clock (0 = start, 1 = all done) each item is done: (from, to).
WINDOWS = {
    "JC01": (0.00, 0.20), "JC07": (0.02, 0.55), "JC08": (0.02, 0.60), "JC09": (0.05, 0.65),
    "JC10": (0.02, 0.50), "JC11": (0.05, 0.70), "JC12": (0.10, 0.65), "JC04": (0.10, 0.65),
    "JC02": (0.12, 0.70), "JC03": (0.15, 0.75), "JC06": (0.30, 0.85), "JC05": (0.30, 0.90),
    "JC16": (0.45, 0.95), "JC14": (0.40, 0.95), "WS02": (0.50, 1.00), "JC17": (0.55, 1.00),
    "WS05": (0.55, 1.00), "JC13": (0.40, 1.00), "WS01": (0.55, 1.00), "WS03": (0.65, 1.00),
    "WS04": (0.65, 1.00), "WS06": (0.45, 1.10), "TS01": (0.60, 1.10), "TS02": (0.60, 1.10),
    "TS03": (0.55, 1.10),
}
WHOLE_UNITS = {Unit.SQUARE_METRE, Unit.METRE, Unit.HOUSEHOLD, Unit.ELEVATOR, Unit.PIECE, Unit.DOOR, Unit.LAMP}
ONE = Decimal(1)
CENT = Decimal("0.01")


def _demo_projects():
    in_yanhu = Project.objects.filter(communities__subdistrict__parent__code=DISTRICT_CODE).values("pk")
    return Project.objects.filter(pk__in=in_yanhu) | Project.objects.filter(code__startswith=CODE_PREFIX)


def delete_works() -> None:
    """Remove the projects on Yanhu's communities (and their reports), so the communities can be deleted."""
    projects = list(_demo_projects().values_list("pk", flat=True))
    for photo in Photo.objects.filter(entry__project_item__project__in=projects):
        photo.image.delete(save=False)
    Photo.objects.filter(entry__project_item__project__in=projects).delete()
    ProgressEntry.objects.filter(project_item__project__in=projects).delete()
    ProjectItem.objects.filter(project__in=projects).delete()
    Project.objects.filter(pk__in=projects).delete()
    Milestone.objects.filter(area__code=DISTRICT_CODE, date=MILESTONE["date"], name=MILESTONE["name"]).delete()


@transaction.atomic
def load_works() -> dict | None:
    """Load the construction demo once; None if its projects are there already."""
    contractors, supervisors = _companies()
    if Project.objects.filter(code__startswith=CODE_PREFIX).exists():
        return None
    district = Area.objects.get(code=DISTRICT_CODE)
    batch = list(Community.objects.filter(subdistrict__parent=district, batch_year=2021, is_eligible=True)
                 .select_related("subdistrict").order_by("code"))
    rng = random.Random(SEED)
    approved = _approved_plans(rng, batch)
    groups = _groups(batch)
    projects = _projects(rng, groups, approved, contractors, supervisors)
    _progress(rng, projects)
    Milestone.objects.get_or_create(area=district, date=MILESTONE["date"], name=MILESTONE["name"],
                                    defaults={"target_share": MILESTONE["target_share"]})
    return {"projects": len(projects), "started": sum(1 for p in projects if p.project.actual_start),
            "day": REPORT_DAY}


def _companies() -> tuple[list[Company], list[Company]]:
    def ensure(rows, kind):
        return [Company.objects.get_or_create(name=name, defaults={"kind": kind, "contact": contact,
                                                                  "phone": phone})[0]
                for name, contact, phone in rows]

    contractors = ensure(CONTRACTORS, Company.Kind.CONTRACTOR)
    supervisors = ensure(SUPERVISORS, Company.Kind.SUPERVISOR)
    user = User.objects.filter(username=CONTRACTOR_USER).first()
    if user is not None:
        CompanyMember.objects.update_or_create(user=user, defaults={"company": contractors[0]})
    return contractors, supervisors


# ----------------------------------------------------------------------------------------------------------------
# Community plans


def _factor(rng, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 4)))


def _whole(value: Decimal) -> Decimal:
    return value.quantize(ONE, ROUND_HALF_UP)


def _cost(quantity: Decimal, unit_cost: Decimal) -> Decimal:
    return (quantity * unit_cost).quantize(CENT, ROUND_HALF_UP)


def _approved_plans(rng, batch) -> dict[int, CommunityPlan]:
    items = {i.code: i for i in with_cost_on(WorkItem.objects.all(), COST_DATE)}
    # Water supply pipes were mostly the water company's job; five compounds have them in their plan.
    piped = [c for c in batch if c.buildings.count() >= 2]
    water = {c.pk for c in rng.sample(piped, 5)}
    approved = {}
    for community in batch:
        plan = community.plans.filter(status=CommunityPlan.Status.APPROVED).first()
        if plan is None:
            plan = _plan(rng, community, items, community.pk in water)
        approved[community.pk] = plan
    return approved


def _plan(rng, community, items, water: bool) -> CommunityPlan:
    plan = plans.propose_plan(None, community, cost_date=COST_DATE)
    proposed = {pi.item.code: pi.quantity for pi in plan.items.select_related("item")}
    target = _compose(rng, community, {code: item.unit_cost for code, item in items.items()}, water)
    added = [items[code].pk for code, quantity in target.items() if quantity and code not in proposed]
    if added:
        plans.update_plan(None, plan, quantities={}, add_items=added)
    total = sum((_cost(q, items[code].unit_cost) for code, q in target.items() if q), Decimal(0))
    funding = {source: (total * share).quantize(CENT, ROUND_HALF_UP) for source, share in FUNDING}
    funding[FUNDING_REST] = total - sum(funding.values())
    # Items just added have a quantity of 1; items proposed but not wanted go (a quantity of None).
    changes = {items[code].pk: quantity for code, quantity in target.items() if quantity != proposed.get(code, ONE)}
    changes.update({items[code].pk: None for code in proposed if code not in target})
    plans.update_plan(None, plan, quantities=changes, funding=funding,
                      note="按入户调查和居民意见确定改造内容，工程量经现场复核。")
    plans.publish(None, plan)  # checks that the funding adds up to the plan's total
    plans.approve(None, plan)
    return plan


def _compose(rng, community, cost, water: bool) -> dict[str, Decimal | None]:
    """The quantities of one community's plan; the roads take up what is left of the investment estimate."""
    q = plans.census_quantities(community)
    pipe, facade = q[QuantityRule.PIPE_LENGTH], q[QuantityRule.FACADE_AREA]
    floor_area = q[QuantityRule.FLOOR_AREA]
    t: dict[str, Decimal | None] = {}
    if rng.random() < 0.65:
        t["JC01"] = max(Decimal(20), _whole(floor_area * _factor(rng, 0.006, 0.014)))
    t["JC02"] = q[QuantityRule.HOUSEHOLDS]
    t["JC03"] = _whole(facade * _factor(rng, 0.60, 0.76))  # insulation where the walls need it …
    t["JC04"] = _whole(q[QuantityRule.ROOF_AREA] * _factor(rng, 0.20, 0.34))  # the leaking roofs
    t["JC05"] = _whole(q[QuantityRule.STAIRWELL_AREA] * _factor(rng, 0.30, 0.42))
    t["JC06"] = _whole(facade * _factor(rng, 0.14, 0.24))  # … and paint on the rest
    t["JC07"] = pipe
    t["JC08"] = _whole(pipe * _factor(rng, 0.35, 0.65))
    t["JC09"] = _whole(pipe * _factor(rng, 0.30, 0.70))
    t["JC10"] = _whole(pipe * _factor(rng, 0.55, 0.85))
    if water:
        t["JC11"] = _whole(pipe * _factor(rng, 0.60, 1.00))
    t["JC12"] = _whole(pipe * _factor(rng, 0.80, 1.20))
    t["JC14"] = ONE
    t["JC16"] = q[QuantityRule.STAIRWELL_UNITS] or None
    t["JC17"] = ONE
    t["WS02"] = q[QuantityRule.BUILDINGS] * 3
    t["WS05"] = ONE

    def spent():
        return sum((_cost(v, cost[k]) for k, v in t.items() if v), Decimal(0))

    estimate = community.investment_estimate
    gap = estimate - spent()
    if community.is_demonstration:  # elevators, smart community, square, elderly care (the census note)
        elevators = min(q[QuantityRule.BUILDINGS], int(gap * Decimal("0.35") / cost["WS06"]))
        t["WS06"] = Decimal(elevators) or None
        if gap > 800_000:
            t["TS01"] = ONE
        if gap > 2_500_000:
            t["TS03"] = ONE
        square = _whole(gap * Decimal("0.05") / cost["TS02"])
        t["TS02"] = min(square, Decimal(1500)) if square >= 100 else None
    rest = estimate - spent()
    t["WS01"] = _whole(rest * _factor(rng, 0.20, 0.30) / cost["WS01"])
    t["WS03"] = _whole(rest * _factor(rng, 0.06, 0.10) / cost["WS03"])
    t["WS04"] = _whole(rest * _factor(rng, 0.03, 0.05) / cost["WS04"])
    left = estimate - spent()
    if left <= 0:
        raise RuntimeError(f"{community.code}: the plan costs more than the estimate")
    t["JC13"] = (left / cost["JC13"]).quantize(CENT, ROUND_HALF_UP)
    return {k: v for k, v in t.items() if v}


# ----------------------------------------------------------------------------------------------------------------
# Projects


class _Project:
    def __init__(self, project, clock, manager, items):
        self.project = project
        self.clock = clock  # how far its works have come on REPORT_DAY (0 when not started)
        self.manager = manager
        self.items = items  # ProjectItem with plan_item and item selected


def _groups(batch) -> list[list[Community]]:
    """Most projects cover one community; in each office the smallest ordinary compounds are paired."""
    groups = []
    for sub in SUBDISTRICTS:
        here = [c for c in batch if c.subdistrict.code == sub.code]
        small = sorted((c for c in here if not c.is_demonstration), key=lambda c: (c.investment_estimate, c.code))
        paired = small[:2 * PAIRS[sub.name]]
        pairs = [sorted(paired[i:i + 2], key=lambda c: c.code) for i in range(0, len(paired), 2)]
        singles = [[c] for c in here if c not in paired]
        groups += sorted(pairs + singles, key=lambda g: g[0].code)
    return groups


def _date(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def _projects(rng, groups, approved, contractors, supervisors) -> list[_Project]:
    not_started = set()
    for name in NOT_STARTED_IN:
        candidates = [i for i, g in enumerate(groups) if g[0].subdistrict.name == name and len(g) == 1
                      and not g[0].is_demonstration]
        not_started.add(rng.choice(candidates))
    per_contractor = len(groups) // len(contractors)
    builders = [c for c in contractors for _ in range(per_contractor)]
    builders += contractors[:len(groups) - len(builders)]
    rng.shuffle(builders)
    kangjie = next(i for i, g in enumerate(groups) if any(c.name == KANGJIE for c in g))
    if builders[kangjie] != contractors[0]:  # the article names 康杰中学家属院's contractor
        swap = next(i for i, b in enumerate(builders) if b == contractors[0])
        builders[kangjie], builders[swap] = builders[swap], builders[kangjie]
    watchers = [supervisors[i % len(supervisors)] for i in range(len(groups))]
    rng.shuffle(watchers)
    found = []
    for index, group in enumerate(groups):
        number = index + 1
        shift, pace = PACE[group[0].subdistrict.name]
        early = 0.2 if any(c.is_demonstration for c in group) else 1.0
        start = min(_date(FIRST_START, shift + int(rng.triangular(0, 165, 5) * early)), LAST_START)
        planned_start = max(datetime.date(2021, 4, 1), min(_date(start, -rng.randint(0, 20)),
                                                             datetime.date(2021, 7, 31)))
        if index in not_started:
            planned_start = _date(datetime.date(2021, 7, 1), rng.randint(0, 30))
        planned_finish = _date(datetime.date(2022, 1, 10), rng.randint(0, 80))
        total = sum((plans.totals(approved[c.pk])["total"] for c in group), Decimal(0))
        bid = _factor(rng, 0.975, 0.995)
        project = Project.objects.create(
            code=f"{CODE_PREFIX}{number:02d}",
            name=PROJECT_NAME.format(n=number, names="、".join(c.name for c in group)),
            contractor=builders[index], supervisor=watchers[index],
            contract_value=(total * bid / 100).quantize(ONE, ROUND_HALF_UP) * 100,
            planned_start=planned_start, planned_finish=planned_finish)
        project.communities.set(group)
        items = ProjectItem.objects.bulk_create([
            ProjectItem(project=project, plan_item=plan_item)
            for c in group for plan_item in approved[c.pk].items.select_related("item")])
        clock = 0.0
        if index not in not_started:
            elapsed = (REPORT_DAY - start).days
            clock = min(0.95, pace * rng.uniform(0.9, 1.1) * elapsed / CLOCK_DAYS)
            project.actual_start = start  # replaced by the first report's date
        manager = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
        found.append(_Project(project, clock, manager, items))
    return found


# ----------------------------------------------------------------------------------------------------------------
# Progress


def _window(clock: float, low: float, high: float) -> float:
    return min(1.0, max(0.0, (clock - low) / (high - low)))


def _step(item) -> Decimal:
    return ONE if item.unit in WHOLE_UNITS else CENT


def _allocate(total: int, weights: list[float], caps: list[int]) -> list[int]:
    """Whole numbers adding up to total, in proportion to the weights as far as no cap is passed."""
    if sum(caps) < total:
        raise RuntimeError(f"cannot place {total} within {sum(caps)}")
    if sum(c for w, c in zip(weights, caps, strict=True) if w > 0) < total:
        weights = [w if w > 0 else float(c) for w, c in zip(weights, caps, strict=True)]
    shares = [0.0] * len(caps)
    free = [i for i, w in enumerate(weights) if w > 0 and caps[i] > 0]
    left = float(total)
    while free:
        scale = left / sum(weights[i] for i in free)
        full = [i for i in free if scale * weights[i] >= caps[i]]
        if not full:
            for i in free:
                shares[i] = scale * weights[i]
            break
        for i in full:
            shares[i] = float(caps[i])
            left -= caps[i]
        free = [i for i in free if i not in full]
    placed = [min(int(s), c) for s, c in zip(shares, caps, strict=True)]
    order = sorted(range(len(caps)), key=lambda i: (-(shares[i] - int(shares[i])), i))
    while sum(placed) < total:
        for i in order:
            if sum(placed) == total:
                break
            if placed[i] < caps[i] and shares[i] > 0:
                placed[i] += 1
        order = [i for i in order if placed[i] < caps[i]]
    return placed


def _progress(rng, projects: list[_Project]) -> None:
    started = [p for p in projects if p.clock > 0]
    assert len(started) == STARTED
    windows = {}  # project item pk → (from, to) in its project's clock
    done = {}
    published = defaultdict(list)
    for p in started:
        for pi in p.items:
            code = pi.plan_item.item.code
            low, high = WINDOWS.get(code, (0.3, 1.0))
            low = max(0.0, low + rng.uniform(-0.05, 0.05))
            high = high + rng.uniform(-0.05, 0.05)
            windows[pi.pk] = (low, high)
            share = _window(p.clock, low, high)
            if code in NEWSPAPER_TOTALS:
                published[code].append((pi, share))
            else:
                planned = pi.plan_item.quantity
                reached = (planned * Decimal(str(round(share, 4)))).quantize(_step(pi.plan_item.item), ROUND_HALF_UP)
                done[pi.pk] = min(reached, planned)
    for code, rows in published.items():
        caps = [int(pi.plan_item.quantity) for pi, _share in rows]
        weights = [float(pi.plan_item.quantity) * share for pi, share in rows]
        for (pi, _share), quantity in zip(rows, _allocate(NEWSPAPER_TOTALS[code], weights, caps), strict=True):
            done[pi.pk] = Decimal(quantity)
    entries = []
    for p in started:
        entries += _entries(rng, p, windows, done)
    ProgressEntry.objects.bulk_create(entries, batch_size=2000)


def _entries(rng, p: _Project, windows, done) -> list[ProgressEntry]:
    start = p.project.actual_start
    days = [start]
    while True:
        following = _date(days[-1], rng.choice((5, 6, 7, 7, 7, 7, 8, 9)))
        if following >= REPORT_DAY:
            break
        days.append(following)
    days.append(REPORT_DAY)
    # A report gives the work of the days before it; the first one, on the start day, the first week's.
    span = (REPORT_DAY - start).days + 7
    entries = []
    for pi in p.items:
        final = done.get(pi.pk, Decimal(0))
        if final <= 0:
            continue
        low, high = windows[pi.pk]
        at_end = _window(p.clock, low, high)
        step = _step(pi.plan_item.item)
        before = Decimal(0)
        for day in days:
            if at_end > 0:
                share = _window(p.clock * ((day - start).days + 7) / span, low, high) / at_end
            else:  # a published quantity placed where the clock had not yet reached the item
                share = 1.0 if day == REPORT_DAY else 0.0
            reached = final if day == REPORT_DAY else min(final, (final * Decimal(str(round(share, 6))))
                                                          .quantize(step, ROUND_HALF_UP))
            if reached > before:
                entries.append(ProgressEntry(project_item=pi, date=day, quantity=reached - before,
                                             kind=ProgressEntry.Kind.REPORT, reporter_name=p.manager))
                before = reached
    first = min(e.date for e in entries)
    # As record_progress would have it: started on the first report's date, under construction since.
    p.project.actual_start = first
    p.project.status = Project.Status.UNDER_CONSTRUCTION
    p.project.save(update_fields=["actual_start", "status"])
    return entries
