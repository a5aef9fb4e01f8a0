"""The joint meeting in the demo (工作联席会议): the departments and utilities on it, two meetings of 2021 with
their items (on 2021-11-25 the water company has two overdue, the gas and heating companies one each), and the
utilities' own pipe and cable works in five communities with their shares and some progress reported.

The water company's member logs in as `water` (password as every demo account). Everything is written through
the app's services, on the demo's day, so the same rules hold as for data typed in; the days the items were
updated and closed are then set to when that happened, so their history reads as it did in autumn 2021.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from gaizao.accounts.models import User
from gaizao.communities.models import Community
from gaizao.coordination import services, utility
from gaizao.coordination.models import (
    CoordinationItem,
    Department,
    DepartmentMember,
    ItemUpdate,
    Meeting,
    UtilityPhoto,
    UtilityProgress,
    UtilityWork,
)
from gaizao.core import clock
from gaizao.demo.yanhu import DISTRICT_CODE, SUBDISTRICTS

WATER, POWER, GAS, HEATING, TELECOM = ("盐湖区供水公司", "国网运城供电公司", "运城市天然气有限公司",
                                       "运城市热力公司", "中国电信运城分公司")
NATURAL_RESOURCES, URBAN_MANAGEMENT, FIRE = "盐湖区自然资源局", "盐湖区城市管理局", "盐湖区消防救援大队"
WATER_USER = "water"
# name, kind, service, contact, phone
DEPARTMENTS = [
    (NATURAL_RESOURCES, Department.Kind.GOVERNMENT, "", "杨立军", "0359-2082316"),
    (URBAN_MANAGEMENT, Department.Kind.GOVERNMENT, "", "贾红伟", "0359-2251407"),
    (FIRE, Department.Kind.GOVERNMENT, "", "吉鹏飞", "0359-2120119"),
    (WATER, Department.Kind.UTILITY, Department.Service.WATER, "薛建华", "0359-2023566"),
    (POWER, Department.Kind.UTILITY, Department.Service.POWER, "卫志强", "0359-2195598"),
    (GAS, Department.Kind.UTILITY, Department.Service.GAS, "畅晓东", "0359-2516612"),
    (HEATING, Department.Kind.UTILITY, Department.Service.HEATING, "裴国栋", "0359-2383120"),
    (TELECOM, Department.Kind.UTILITY, Department.Service.TELECOM, "宁海燕", "0359-2010000"),
]
MEETINGS = [
    (datetime.date(2021, 9, 15), "2021年第三次城镇老旧小区改造工作联席会议",
     "区住建局主持。通报2021年改造项目开工情况，协调管线单位同步改造、施工审批和消防通道等问题，形成以下决定。"),
    (datetime.date(2021, 11, 5), "2021年第四次城镇老旧小区改造工作联席会议",
     "区住建局主持。入冬前管网防冻、供热打压和二次供水改造进度滞后，会议明确牵头单位和完成时限。"),
]
# meeting index, description, lead, others, community (or "project:<community>"), due, what happened
# ("closed", day, evidence) / ("progress", day, text) / None
ITEMS = [
    (0, "康杰中学家属院供水主管及一户一表改造与小区道路施工同步实施，道路铺装前完成", WATER, [], "康杰中学家属院",
     datetime.date(2021, 10, 31), ("closed", datetime.date(2021, 10, 28), "主管更换1,050米、入户水表312块，"
                                   "已通水并经物业和居民代表签字确认（验收单存供水公司）。")),
    (0, "棉麻家属院架空线入地，配合施工单位迁移表箱", POWER, [URBAN_MANAGEMENT], "project:棉麻家属院",
     datetime.date(2021, 10, 20), ("closed", datetime.date(2021, 11, 5), "架空线已入地，表箱迁移完成，"
                                   "11月5日送电。")),
    (0, "棉麻家属院燃气立管更换方案报批并完成入户安全检查", GAS, [], "棉麻家属院",
     datetime.date(2021, 11, 10), ("progress", datetime.date(2021, 10, 30), "方案已报批，入户检查完成六成。")),
    (0, "施工围挡设置和渣土清运办理一站式审批", URBAN_MANAGEMENT, [], None,
     datetime.date(2021, 10, 15), ("closed", datetime.date(2021, 10, 12), "已设审批专窗，2021年项目全部办结。")),
    (0, "加装电梯规划审批开辟绿色通道", NATURAL_RESOURCES, [], None,
     datetime.date(2021, 11, 30), ("progress", datetime.date(2021, 11, 1), "已出台简化审批流程，正在征求意见。")),
    (1, "农行家属院(槐东路)二次供水设施改造，完成水箱清洗和加压泵更换", WATER, [], "农行家属院(槐东路)",
     datetime.date(2021, 11, 20), ("progress", datetime.date(2021, 11, 15), "水箱已清洗，加压泵到货待安装。")),
    (1, "入冬前完成2021年改造小区室外供水管道防冻保温", WATER, [], None, datetime.date(2021, 11, 22), None),
    (1, "铁北小区供热管网改造在供暖前完成打压试验", HEATING, [], "铁北小区",
     datetime.date(2021, 11, 14), ("progress", datetime.date(2021, 11, 12), "主管网打压合格，楼内支管正在整改。")),
    (1, "农机家属院通信线缆规整（飞线入地）", TELECOM, [POWER], "农机家属院", datetime.date(2021, 12, 15), None),
    (1, "康杰中学家属院消防通道划线和消防设施验收", FIRE, [], "康杰中学家属院",
     datetime.date(2021, 11, 18), ("closed", datetime.date(2021, 11, 17), "消防通道已划线，消防设施验收合格。")),
    (1, "协调康杰中学家属院居民拆除楼道违建，保障施工", "东城办事处", [URBAN_MANAGEMENT], "康杰中学家属院",
     datetime.date(2021, 11, 30), None),
]
# community, utility, work, quantity, unit, cost, utility's share (yuan), reports [(day, quantity)]
WORKS = [
    ("康杰中学家属院", WATER, "小区供水管网及一户一表改造", 1200, "m", 960_000, 576_000,
     [(datetime.date(2021, 9, 20), 300), (datetime.date(2021, 10, 15), 420), (datetime.date(2021, 11, 10), 250),
      (datetime.date(2021, 11, 24), 100)]),
    ("康杰中学家属院", POWER, "配电线路改造、架空线入地", 650, "m", 520_000, 520_000,
     [(datetime.date(2021, 10, 10), 200), (datetime.date(2021, 11, 20), 180)]),
    ("棉麻家属院", GAS, "燃气立管更换", 96, "household", 288_000, 144_000, [(datetime.date(2021, 11, 5), 30)]),
    ("农机家属院", TELECOM, "通信线缆规整（飞线入地）", 800, "m", 160_000, 160_000, []),
    ("铁北小区", HEATING, "小区供热管网改造", 1500, "m", 1_350_000, 540_000,
     [(datetime.date(2021, 9, 30), 900), (datetime.date(2021, 10, 25), 500)]),
]
YEAR = 2021


def _names() -> list[str]:
    return [row[0] for row in DEPARTMENTS] + [s.name for s in SUBDISTRICTS]


def delete_coordination() -> None:
    """Remove the demo's meetings, items, utilities' works and departments (before the communities go)."""
    demo = Department.objects.filter(name__in=_names())
    for photo in UtilityPhoto.objects.filter(entry__work__utility__in=demo):
        photo.image.delete(save=False)
    UtilityPhoto.objects.filter(entry__work__utility__in=demo).delete()
    UtilityProgress.objects.filter(work__utility__in=demo).delete()
    UtilityWork.objects.filter(Q(utility__in=demo) | Q(community__subdistrict__parent__code=DISTRICT_CODE)).delete()
    Meeting.objects.filter(title__in=[m[1] for m in MEETINGS]).delete()
    CoordinationItem.objects.filter(Q(community__subdistrict__parent__code=DISTRICT_CODE)
                                    | Q(project__communities__subdistrict__parent__code=DISTRICT_CODE)).delete()
    DepartmentMember.objects.filter(department__in=demo).delete()
    demo.delete()


def _departments() -> dict[str, Department]:
    found = {}
    for name, kind, service, contact, phone in DEPARTMENTS:
        found[name] = Department.objects.get_or_create(name=name, defaults={
            "kind": kind, "service": service, "contact": contact, "phone": phone})[0]
    from gaizao.regions.models import Area

    for sub in SUBDISTRICTS:
        area = Area.objects.get(code=sub.code)
        found[sub.name] = Department.objects.get_or_create(
            subdistrict=area, defaults={"name": sub.name, "kind": Department.Kind.SUBDISTRICT})[0]
    return found


def _community(name):
    return Community.objects.get(subdistrict__parent__code=DISTRICT_CODE, name=name)


def _at(day: datetime.date):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 30)))


@transaction.atomic
def load_coordination() -> dict | None:
    """Load the joint meeting's demo once; None if its meetings are there already."""
    departments = _departments()
    water_user = User.objects.filter(username=WATER_USER).first()
    if water_user is not None:
        DepartmentMember.objects.get_or_create(user=water_user, defaults={"department": departments[WATER]})
    if Meeting.objects.filter(title__in=[m[1] for m in MEETINGS]).exists():
        return None
    bureau = User.objects.filter(username="bureau").first()
    meetings = []
    for day, title, minutes in MEETINGS:
        meeting = services.record_meeting(bureau, date=day, title=title, minutes=minutes,
                                          departments=[departments[row[0]] for row in DEPARTMENTS],
                                          other_attendees="区住建局\n各街道办事处")
        Meeting.objects.filter(pk=meeting.pk).update(recorded_at=_at(day))
        meetings.append(meeting)
    for index, description, lead, others, where, due, happened in ITEMS:
        _item(meetings[index], description, departments[lead], [departments[o] for o in others], where, due,
              happened, bureau, actor=water_user if lead == WATER else bureau)
    for row in WORKS:
        _work(departments, *row, bureau, actor=water_user)
    ranking = services.department_ranking(clock.today())
    return {"meetings": len(meetings), "items": len(ITEMS), "overdue": services.totals(ranking)["overdue"],
            "works": len(WORKS)}


def _item(meeting, description, lead, others, where, due, happened, bureau, actor):
    community = project = None
    if where and where.startswith("project:"):
        from gaizao.works.models import Project

        project = Project.objects.filter(communities=_community(where.split(":", 1)[1])).order_by("code").first()
    elif where:
        community = _community(where)
    item = services.add_item(bureau, meeting, description=description, lead_department=lead, due_date=due,
                             other_departments=others, community=community, project=project)
    CoordinationItem.objects.filter(pk=item.pk).update(created_at=_at(meeting.date))
    item.updates.update(at=_at(meeting.date))
    if happened is None:
        return
    kind, day, text = happened
    if kind == "closed":
        services.close_item(actor, item, evidence=text, day=day)
    else:
        services.update_item(actor, item, text)
    ItemUpdate.objects.filter(item=item, status=services.Status.DONE if kind == "closed"
                              else services.Status.IN_PROGRESS).update(at=_at(day))


def _work(departments, community, utility_name, description, quantity, unit, cost, share, reports, bureau, actor):
    work = utility.add_work(bureau, community=_community(community), utility=departments[utility_name],
                            description=description, quantity=Decimal(quantity), unit=unit, cost=Decimal(cost),
                            utility_share=Decimal(share), year=YEAR)
    reporter = actor if utility_name == WATER else None  # the others reported on paper, entered as the utility
    entries = [utility.report(reporter, work, day, Decimal(done)) for day, done in reports]
    work.entries.filter(reporter__isnull=True).update(reporter_name=utility_name)
    if utility_name == WATER and len(entries) > 1:
        # The second report counted 20 m twice: corrected, the original kept beside the correction.
        utility.correct(reporter, entries[1], Decimal(-20), "与9月报量重复计算20米")
