"""A small province: 山西省 → 运城市 (盐湖区, 永济市) and 临汾市 (尧都区), one sub-district, community and project
in each district, with progress reported in 2021 and a project finished in October."""

import datetime
from decimal import Decimal

import pytest

from conftest import PASSWORD, make_community
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.catalog.models import WorkItem
from gaizao.planning import plans
from gaizao.regions.models import Area
from gaizao.works.models import Company, Milestone, Project, ProjectItem
from gaizao.works.services import record_progress

WINDOWS, INSULATION = "塑钢窗更换", "外墙保温"
DAY = datetime.date(2021, 11, 25)


def additive_sum(rows):
    """The additive figures of roll-up rows summed: what their parent row must show."""
    from gaizao.rollup.services import ADDITIVE

    total = dict.fromkeys(ADDITIVE, 0)
    for row in rows:
        for key in ADDITIVE:
            total[key] += row.figures[key]
    return total


def _plan(actor, community, quantities):
    plan = plans.propose_plan(actor, community, cost_date=datetime.date(2021, 3, 1))
    wanted = {WorkItem.objects.get(name=name).pk: Decimal(q) for name, q in quantities.items()}
    plans.update_plan(actor, plan, quantities={i.item_id: wanted.get(i.item_id) for i in plan.items.all()})
    plans.update_plan(actor, plan, quantities={}, funding={"central_subsidy": plans.totals(plan)["total"]})
    plans.publish(actor, plan)
    plans.approve(actor, plan)
    return plan


def _project(code, community, contractor, plan, start, finish=None):
    project = Project.objects.create(code=code, name=f"{community.name}改造", contractor=contractor,
                                     planned_start=datetime.date(2021, 4, 1),
                                     planned_finish=datetime.date(2021, 12, 31),
                                     actual_start=start, actual_finish=finish)
    project.communities.add(community)
    for plan_item in plan.items.all():
        ProjectItem.objects.create(project=project, plan_item=plan_item)
    return project


def _report(actor, project, day, quantities):
    items = {i.plan_item.item.name: i.pk for i in project.items.select_related("plan_item__item")}
    record_progress(actor, project, day, {items[name]: Decimal(q) for name, q in quantities.items()})


@pytest.fixture
def province(district, bureau):
    shanxi = Area.objects.create(name="山西省", code="140000", level=Area.Level.PROVINCE)
    yuncheng = district.parent
    yuncheng.parent = shanxi
    yuncheng.save()
    yongji = Area.objects.create(name="永济市", code="140881", level=Area.Level.DISTRICT, parent=yuncheng)
    linfen = Area.objects.create(name="临汾市", code="141000", level=Area.Level.CITY, parent=shanxi)
    yaodu = Area.objects.create(name="尧都区", code="141002", level=Area.Level.DISTRICT, parent=linfen)
    builder = Company.objects.create(name="中建交通建设集团", kind=Company.Kind.CONTRACTOR)
    subs = {}
    for district_area, code, name in ((district, "140802001", "东城办事处"), (yongji, "140881001", "城西街道"),
                                      (yaodu, "141002001", "水塔街道")):
        subs[code] = Area.objects.create(name=name, code=code, level=Area.Level.SUBDISTRICT, parent=district_area)
    a = make_community(subs["140802001"], "YH001", "康杰中学家属院", buildings=((4, 32, "2800"), (5, 40, "3600")))
    b = make_community(subs["140881001"], "YJ001", "电业局家属院", buildings=((6, 48, "4200"),))
    c = make_community(subs["141002001"], "YD001", "棉麻家属院", buildings=((6, 30, "3000"), (6, 30, "3000")))
    pa = _project("P1", a, builder, _plan(bureau, a, {WINDOWS: 72, INSULATION: 2000}), datetime.date(2021, 5, 1))
    pb = _project("P2", b, builder, _plan(bureau, b, {WINDOWS: 48, INSULATION: 1000}), datetime.date(2020, 9, 1),
                  finish=datetime.date(2021, 10, 15))
    pc = _project("P3", c, builder, _plan(bureau, c, {WINDOWS: 60, INSULATION: 3000}), None)
    _report(bureau, pa, datetime.date(2021, 6, 20), {WINDOWS: 36, INSULATION: 500})
    _report(bureau, pa, datetime.date(2021, 11, 20), {WINDOWS: 36})
    _report(bureau, pb, datetime.date(2020, 12, 1), {WINDOWS: 20})
    _report(bureau, pb, datetime.date(2021, 10, 1), {WINDOWS: 28, INSULATION: 1000})
    Milestone.objects.create(area=district, date=datetime.date(2021, 12, 31), target_share=Decimal("0.8"))
    return {"province": shanxi, "yuncheng": yuncheng, "linfen": linfen, "yanhu": district, "yongji": yongji,
            "yaodu": yaodu, "projects": (pa, pb, pc)}


@pytest.fixture
def city_leader(province):
    return ensure_user("yuncheng", PASSWORD, User.Role.LEADER, area=province["yuncheng"])


@pytest.fixture
def province_leader(province):
    return ensure_user("shanxi", PASSWORD, User.Role.LEADER, area=province["province"])
