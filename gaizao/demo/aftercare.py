"""After acceptance in the demo: long-term management and return visits of Yanhu's earlier renovations.

On 25 November 2021 none of the 2021 batch has finished (the newspaper's totals are pinned and every started
project reported that day), so nothing of it can have been accepted long enough ago to need management or a
return visit. The communities shown are six of the SOE compounds the census excludes because the 三供一业
handover programme renovated them: the platform records those works as projects accepted in 2019 and 2020, each
dated within its works through the acceptance service. A project accepted in an earlier year has left the year's
works (`works.measures.of_the_year`), so the 2021 dashboard and bulletin still measure the newspaper's 40 projects.

What the demo shows: arrangements of every kind (one replaced, so the history has two), two communities flagged
for having none more than 90 days after acceptance, return visits closed with answers and two open on the demo's
day with answers coming in (one answerable on a phone with the code `load_demo` prints). Deterministic: a fixed
seed, and loading again changes nothing.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext_noop

from gaizao.accounts.models import User
from gaizao.aftercare import services as management
from gaizao.aftercare.models import ManagementArrangement, ReturnVisit
from gaizao.aftercare.visits import CLOSED, OPEN, ensure_return_visits, state_of
from gaizao.communities.models import Community
from gaizao.core import clock
from gaizao.core.bilingual import both
from gaizao.demo.yanhu import DISTRICT_CODE
from gaizao.households import access
from gaizao.households.models import Household
from gaizao.surveys.models import SurveyResponse
from gaizao.surveys.services import submit_response
from gaizao.works.models import Company, Project

SEED = 20211125
BUREAU_USER = "bureau"
PHONE_COMMUNITY = "电业局二号院"  # its 12-month return visit is open on the demo's day


@dataclass(frozen=True)
class Earlier:
    """An earlier renovation: project code, community, contractor, start, finish, acceptance."""

    code: str
    community: str
    contractor: str
    start: datetime.date
    finish: datetime.date
    accepted: datetime.date


EARLIER = [
    Earlier("YH2019-01", "热电厂宿舍", "山西建投运城建设工程有限公司", datetime.date(2019, 4, 10),
            datetime.date(2019, 9, 20), datetime.date(2019, 10, 15)),
    Earlier("YH2020-01", "中条山有色家属院", "山西中条建设工程有限公司", datetime.date(2020, 3, 20),
            datetime.date(2020, 8, 5), datetime.date(2020, 8, 20)),
    Earlier("YH2020-02", "纺织厂家属院", "运城市盐湖建筑工程有限公司", datetime.date(2020, 4, 1),
            datetime.date(2020, 9, 1), datetime.date(2020, 9, 15)),
    Earlier("YH2020-03", "电业局二号院", "中建交通建设集团", datetime.date(2020, 4, 15),
            datetime.date(2020, 10, 12), datetime.date(2020, 10, 28)),
    Earlier("YH2020-04", "钢铁厂宿舍", "运城市河东建筑工程有限公司", datetime.date(2020, 5, 6),
            datetime.date(2020, 10, 30), datetime.date(2020, 11, 12)),
    Earlier("YH2020-05", "南风化工生活区", "山西晋南建筑安装工程有限公司", datetime.date(2020, 5, 20),
            datetime.date(2020, 11, 25), datetime.date(2020, 12, 8)),
]
PARTICIPANTS = "区住建局\n{subdistrict}\n原产权单位移交办公室\n{contractor}\n居民代表 3 名"

# community → the arrangements in order (kind, body, contact, phone, since, fee, collection rate, fund balance,
# reason); 钢铁厂宿舍 and 南风化工生活区 have none and are flagged.
ARRANGEMENTS = {
    "热电厂宿舍": [("state_platform", "运城市盐湖区城市建设投资开发有限公司物业分公司", "柴国强", "13935901187",
                   datetime.date(2019, 11, 1), "0.35", "78.50", "86400", "")],
    "中条山有色家属院": [("property_company", "山西中条物业服务有限公司", "卫晓东", "13834516620",
                          datetime.date(2020, 9, 1), "0.60", "81.20", "210500", "")],
    "纺织厂家属院": [("self_management", "纺织厂家属院业主自治管理小组", "李秀英", "13703597745",
                     datetime.date(2020, 10, 1), "0.15", "93.00", None, "")],
    "电业局二号院": [
        ("trusteeship", "东城办事处槐东社区居民委员会", "王红梅", "13994270318", datetime.date(2020, 11, 10),
         "0.20", "62.00", None, ""),
        ("property_company", "运城市安居物业服务有限公司", "薛建平", "15935912264", datetime.date(2021, 5, 1),
         "0.55", "86.30", "153200", "经业主大会表决，选聘专业物业服务企业接替社区托管"),
    ],
}
# How residents answer: most satisfied; where nobody manages the community, management is judged harshly.
LEVELS = ["satisfied", "basic", "unsatisfied"]
USUAL = [0.68, 0.24, 0.08]
UNMANAGED = [0.25, 0.30, 0.45]


def _yanhu(name):
    return Community.objects.get(subdistrict__parent__code=DISTRICT_CODE, name=name)


def delete_aftercare() -> None:
    """The arrangements and return visits of Yanhu's communities (their projects go with `delete_works`)."""
    yanhu = Community.objects.filter(subdistrict__parent__code=DISTRICT_CODE)
    ReturnVisit.objects.filter(community__in=yanhu).delete()
    ManagementArrangement.objects.filter(community__in=yanhu).delete()


def _households(rng, community) -> list[Household]:
    made = []
    for building in community.buildings.order_by("name"):
        units = max(building.stairwell_units, 1)
        area = (building.floor_area_m2 / max(building.households, 1) * Decimal("0.82")).quantize(
            Decimal("0.01"), ROUND_HALF_UP)
        for index in range(building.households):
            unit, place = index % units + 1, index // units
            made.append(Household(building=building, stairwell_unit=unit, room=f"{place // 2 + 1}0{place % 2 + 1}",
                                  exclusive_area_m2=area + Decimal(rng.randint(-300, 300)) / 100))
    Household.objects.bulk_create(made)
    return list(Household.objects.filter(building__community=community).order_by("building__name",
                                                                                  "stairwell_unit", "room"))


def _project(item: Earlier, community, bureau):
    from gaizao.works.acceptance import accept

    contractor = Company.objects.get(name=item.contractor)
    project = Project.objects.create(
        code=item.code, name=f"盐湖区{item.start.year}年三供一业维修改造项目（{community.name}）",
        contractor=contractor, planned_start=item.start, planned_finish=item.finish, actual_start=item.start,
        actual_finish=item.finish, status=Project.Status.COMPLETED)
    project.communities.add(community)
    participants = PARTICIPANTS.format(subdistrict=community.subdistrict.name, contractor=contractor.name)
    accept(bureau, project, day=item.accepted, participants=participants, shortfall_reasons={},
           checklist=dict.fromkeys(["documents", "quantities", "quality", "residents", "handover"], True),
           notes="三供一业维修改造完成后移交属地管理；平台上线前竣工，进度未在平台填报。")
    return project


def _arrangements(community, bureau) -> None:
    for kind, body, contact, phone, since, fee, rate, balance, reason in ARRANGEMENTS.get(community.name, []):
        management.record_arrangement(bureau, community, {
            "kind": kind, "body_name": body, "contact_name": contact, "contact_phone": phone, "since": since,
            "fee_per_m2_month": Decimal(fee), "collection_rate": Decimal(rate),
            "has_maintenance_fund": balance is not None, "fund_balance": Decimal(balance) if balance else None,
            "notes": ""}, reason=reason)


def _answers(rng, households, community, now) -> None:
    """Residents answer every return visit that has opened: about 40 % of households once it closed, fewer while
    it is still open (answers keep coming in)."""
    managed = community.name in ARRANGEMENTS
    for visit in ReturnVisit.objects.filter(community=community).select_related("survey").order_by("months"):
        survey = visit.survey
        state = state_of(survey, now)
        if state not in (OPEN, CLOSED):
            continue
        share = 0.22 if state == OPEN else 0.42
        for household in households:
            if rng.random() >= share:
                continue
            answers = {question: rng.choices(LEVELS, USUAL)[0] for question in ("content", "process", "overall")}
            answers["management"] = rng.choices(LEVELS, USUAL if managed else UNMANAGED)[0]
            submit_response(survey, household, answers, now=survey.opens_at + datetime.timedelta(days=2))


@transaction.atomic
def load_aftercare() -> dict | None:
    """Load the earlier renovations once; afterwards only schedule what may be missing. Says what is there."""
    bureau = User.objects.filter(username=BUREAU_USER).first()
    if not Project.objects.filter(code=EARLIER[0].code).exists():
        rng = random.Random(SEED)
        now = clock.now()
        for item in EARLIER:
            community = _yanhu(item.community)
            _project(item, community, bureau)
            _arrangements(community, bureau)
            _answers(rng, _households(rng, community), community, now)
    ensure_return_visits()
    return _describe(bureau)


def _describe(bureau) -> dict | None:
    communities = [_yanhu(item.community) for item in EARLIER]
    figures = management.management_by_subdistrict(clock.today(), communities=Community.objects.filter(
        pk__in=[c.pk for c in communities]))
    phone = _yanhu(PHONE_COMMUNITY)
    now = clock.now()
    open_visits = [v.survey_id for v in ReturnVisit.objects.filter(community=phone).select_related("survey")
                   if state_of(v.survey, now) == OPEN]
    household = (Household.objects.filter(building__community=phone)
                 .exclude(survey_responses__survey__in=open_visits)
                 .order_by("building__name", "stairwell_unit", "room").first())
    code = access.issue_codes(bureau, [household])[0].code if household else None
    return {"accepted": figures["total"].accepted, "arranged": figures["total"].arranged,
            "flagged": [f["name"] for f in figures["flagged"]],
            "answers": SurveyResponse.objects.filter(survey__return_visit__community__in=communities).count(),
            "community": phone.code, "household": household, "code": code}


# Written by load_demo in Chinese and in English (gaizao.core.bilingual), so only marked for translation here.
ARRANGED_LINE = gettext_noop("Long-term management: %(arranged)s of %(accepted)s communities accepted in 2019-2020 "
                             "have an arrangement; flagged without one: %(flagged)s. Return visits: %(answers)s "
                             "answers.")
VISIT_LINE = gettext_noop("A return visit is open at /r/%(community)s/ (building, unit, room, code): %(where)s  "
                          "%(code)s")


def describe_aftercare(result: dict | None) -> list:
    """What `load_demo` prints about it."""
    if not result:
        return []
    lines = [both(ARRANGED_LINE) % {
        **result, "flagged": "、".join(result["flagged"]) or "—"}]
    household = result["household"]
    if result["code"]:
        lines.append(both(VISIT_LINE) % {"community": result["community"], "code": result["code"],
                                      "where": f"{household.building.name} {household.stairwell_unit}单元 "
                                               f"{household.room}"})
    return lines
