"""The residents' side of the demo, for 康杰中学家属院 (the article's community): households and owners, the
temporary residents' committee chaired by retired teacher 张立荣, access codes, an open vote on the plan with
some ballots in, an elevator vote for one stairwell unit, a needs survey, the winter freeze notice and feedback.
"""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.communities.models import Community
from gaizao.core import clock
from gaizao.demo.yanhu import DISTRICT_CODE
from gaizao.feedback import services as feedback
from gaizao.households import access
from gaizao.households.models import Committee, CommitteeMember, Household, Owner, Ownership
from gaizao.notices import seasonal
from gaizao.notices.models import Notice
from gaizao.regions.models import Area
from gaizao.surveys.models import Survey, SurveyResponse
from gaizao.votes import services as votes
from gaizao.votes.models import Vote

COMMUNITY = "康杰中学家属院"
PASSWORD = "gaizao-demo-2021"
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["建国", "秀兰", "淑珍", "玉梅", "志强", "桂英", "国庆", "丽华", "红梅", "卫东", "建华", "秀英", "明", "芳",
         "伟", "敏", "静", "军", "勇", "娟", "立新", "文革", "爱华", "春生", "宝山"]
SEED = 20211125


def _community():
    return Community.objects.filter(subdistrict__parent__code=DISTRICT_CODE, name=COMMUNITY).first()


def delete_residents() -> None:
    Notice.objects.filter(created_by__isnull=True, title__startswith="【演示】").delete()


def _households(rng, community):
    made = []
    for building in community.buildings.order_by("name"):
        units = max(building.stairwell_units, 1)
        per_unit = [building.households // units + (1 if u < building.households % units else 0) for u in range(units)]
        area = (building.floor_area_m2 / max(building.households, 1) * Decimal("0.82")).quantize(
            Decimal("0.01"), ROUND_HALF_UP)  # exclusive area is about 82 % of the building area per household
        for unit, count in enumerate(per_unit, start=1):
            for index in range(count):
                floor, door = index // 2 + 1, index % 2 + 1
                made.append(Household(building=building, stairwell_unit=unit, room=f"{floor}0{door}",
                                      exclusive_area_m2=area + Decimal(rng.randint(-400, 400)) / 100,
                                      owner_occupied=rng.random() < 0.8))
    Household.objects.bulk_create(made)
    return list(Household.objects.filter(building__community=community).order_by("building__name",
                                                                                  "stairwell_unit", "room"))


def _owners(rng, community, households):
    owners, links = [], []
    for number in range(len(households)):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        owner = Owner(community=community, name=name, phone=f"13{rng.randint(100000000, 999999999)}",
                      id_number=f"140802{rng.randint(1935, 1975)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                                f"{number:03d}{rng.choice('0123456789X')}")
        owners.append(owner)
    Owner.objects.bulk_create(owners)
    owners = list(Owner.objects.filter(community=community).order_by("pk"))
    for household, owner in zip(households, owners, strict=True):
        links.append(Ownership(household=household, owner=owner))
    # A couple own their flat together; a retired worker owns two flats (one vote, areas summed).
    links.append(Ownership(household=households[1], owner=owners[2]))
    links.append(Ownership(household=households[5], owner=owners[4]))
    Ownership.objects.bulk_create(links, ignore_conflicts=True)


@transaction.atomic
def load_residents() -> dict | None:
    community = _community()
    if community is None or Household.objects.filter(building__community=community).exists():
        return None
    rng = random.Random(SEED)
    households = _households(rng, community)
    _owners(rng, community, households)
    chair = ensure_user("zhanglirong", PASSWORD, User.Role.COMMITTEE_MEMBER, full_name="张立荣")
    committee = Committee.objects.create(community=community, kind=Committee.Kind.TEMPORARY,
                                         name=f"{COMMUNITY}临时管委会")
    CommitteeMember.objects.create(committee=committee, user=chair, role="chair")

    now = clock.now()
    bureau = User.objects.filter(username="bureau").first()
    plan_vote = votes.create_vote(bureau, community, title="康杰中学家属院老旧小区改造方案（第2版）",
                                  description="基础类改造：外墙保温、屋面防水、雨污分流、强弱电入地、更换塑钢窗等。",
                                  subject=Vote.Subject.PLAN, matter=Vote.Matter.OTHER,
                                  opens_at=now - datetime.timedelta(days=3),
                                  closes_at=now + datetime.timedelta(days=27))
    first = community.buildings.order_by("name").first()
    votes.create_vote(bureau, community, title=f"{first.name}1单元加装电梯",
                                      subject=Vote.Subject.ELEVATOR, matter=Vote.Matter.REBUILD,
                                      electorate=Vote.Electorate.UNIT, building=first, stairwell_unit=1,
                                      opens_at=now - datetime.timedelta(days=1),
                                      closes_at=now + datetime.timedelta(days=29))
    # Some households have voted already, online or on paper through the committee.
    for household in households[10:]:
        if rng.random() < 0.45:
            choice = rng.choices(["yes", "no", "abstain"], [0.86, 0.08, 0.06])[0]
            paper = rng.random() < 0.3
            try:
                votes.cast_ballot(plan_vote, household, choice, channel="paper" if paper else "online",
                                  entered_by=chair if paper else None)
            except votes.AlreadyVoted:
                continue  # the same owner's other flat: one ballot for both

    survey = Survey.objects.create(community=community, kind=Survey.Kind.NEEDS, title="康杰中学家属院改造需求调查",
                                   opens_at=now - datetime.timedelta(days=30),
                                   closes_at=now + datetime.timedelta(days=30))
    from gaizao.catalog.models import WorkItem

    wanted = list(WorkItem.objects.filter(code__in=["JC02", "JC03", "JC08", "WS03", "WS06", "TS02", "JC07"])
                  .values_list("code", flat=True))
    SurveyResponse.objects.bulk_create([
        SurveyResponse(survey=survey, household=h, answers={"items": rng.sample(wanted, 3)})
        for h in households[::3]])

    district = Area.objects.get(code=DISTRICT_CODE)
    freeze = seasonal.template("freeze") or seasonal.TEMPLATES[0]
    Notice.objects.create(title="【演示】" + freeze.title, body=freeze.body, area=district, published_at=now)
    feedback.report(community, household=households[20], category="noise",
                    text="早上六点就开始打钻，老人休息不好，请施工单位调整时间。")
    feedback.report(community, household=households[33], category="quality",
                    text="3号楼楼道窗户换完后关不严，漏风。")
    codes = access.issue_codes(chair, households[:3])
    return {"households": len(households), "ballots": plan_vote.ballots.count(),
            "codes": [(c.household, c.code) for c in codes], "code": community.code}
