"""The demo's construction (施工): 40 projects for the 2021 batch, 37 of them started, with progress reports up
to the newspaper's date whose totals are exactly the published ones (domain.md section 1), and the district's
milestone of 80 % of the planned value by the end of December.

Everything rests on approved community plans (`works_plans`); the reports are written by `works_progress`.
A fixed seed keeps every load identical.
"""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from gaizao.accounts.models import User
from gaizao.communities.models import Community
from gaizao.demo.works_photos import load_photos
from gaizao.demo.works_plans import ONE, approved_plans, factor
from gaizao.demo.works_progress import REPORT_DAY, DemoProject, days_after, report_progress
from gaizao.demo.yanhu import DISTRICT_CODE, SUBDISTRICTS
from gaizao.planning import plans
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
CODE_PREFIX = "YH2021-"
PROJECT_NAME = "盐湖区2021年老旧小区改造项目第{n}标段（{names}）"
MILESTONE = {"date": datetime.date(2021, 12, 31), "target_share": Decimal("0.80"), "name": "年底完成80%"}

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
    approved = approved_plans(rng, batch)
    groups = _groups(batch)
    projects = _projects(rng, groups, approved, contractors, supervisors)
    report_progress(rng, projects)
    load_photos(f"{CODE_PREFIX}01")
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


def _projects(rng, groups, approved, contractors, supervisors) -> list[DemoProject]:
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
        start = min(days_after(FIRST_START, shift + int(rng.triangular(0, 165, 5) * early)), LAST_START)
        planned_start = max(datetime.date(2021, 4, 1), min(days_after(start, -rng.randint(0, 20)),
                                                           datetime.date(2021, 7, 31)))
        if index in not_started:
            planned_start = days_after(datetime.date(2021, 7, 1), rng.randint(0, 30))
        planned_finish = days_after(datetime.date(2022, 1, 10), rng.randint(0, 80))
        total = sum((plans.totals(approved[c.pk])["total"] for c in group), Decimal(0))
        bid = factor(rng, 0.975, 0.995)
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
        found.append(DemoProject(project, clock, manager, items))
    return found
