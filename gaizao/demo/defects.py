"""Defects in the demo: Yanhu's earlier renovations (the after-acceptance demo's 三供一业 projects accepted in 2019
and 2020) with the work items they carried, and residents' defect reports against them.

Nothing of the 2021 batch is accepted long enough before 25 November 2021 for a deadline to have passed or a
warranty to have ended, so the defects are on two earlier projects:

- 电业局二号院 (YH2020-03, 中建交通建设集团 — the demo's contractor account — accepted 28 October 2020): a roof
  leak repaired and confirmed in October; a heating-pipe drip answered with a photo on 19 November, waiting for
  the resident; a water-pipe leak the sub-district officer reported on the demo's day.
- 热电厂宿舍 (YH2019-01, accepted 15 October 2019): a roof leak reported on 10 November and never answered, so
  overdue since 17 November and passed up to the sub-district office; and a water-pipe leak after the pipes'
  two-year warranty ended (15 October 2021), which goes to the management body, the state-owned platform
  company.

Every date and time is fixed and the photos are drawn, so each load is the same. Runs after `load_aftercare`.
"""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from gaizao.accounts.models import User
from gaizao.catalog.models import WorkItem
from gaizao.defects import access, services
from gaizao.defects.models import Defect
from gaizao.demo.yanhu import DISTRICT_CODE
from gaizao.households.models import Household
from gaizao.planning.models import CommunityPlan, PlanItem
from gaizao.works.models import Project, ProjectItem

CONTRACTOR_USER, OFFICER_USER = "contractor", "dongcheng"
# project code → (the works it carried: catalogue code and quantity)
WORKS = {
    "YH2020-03": [("JC04", "2860"), ("JC10", "960"), ("JC11", "880")],
    "YH2019-01": [("JC04", "3420"), ("JC11", "1150"), ("JC07", "640")],
}
PRICED_ON = datetime.date(2019, 1, 1)
PLAN_NOTE = "三供一业维修改造方案（平台上线前批复，工程量据竣工资料补录）"


def _at(day: str, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(datetime.date.fromisoformat(day),
                                                         datetime.time(hour, minute)))


def _picture(name: str, repaired: bool) -> SimpleUploadedFile:
    """A drawn ceiling corner: a brown water stain, or fresh white paint after the repair."""
    image = Image.new("RGB", (480, 360), (236, 234, 228))
    draw = ImageDraw.Draw(image)
    draw.polygon([(0, 0), (480, 0), (480, 90), (0, 150)], fill=(226, 224, 216))
    draw.line((0, 150, 480, 90), fill=(190, 186, 176), width=3)
    if repaired:
        draw.rectangle((300, 20, 470, 80), outline=(210, 210, 205), width=2)
    else:
        draw.ellipse((250, 40, 430, 140), fill=(176, 140, 96))
        draw.ellipse((280, 60, 400, 120), fill=(150, 112, 70))
        draw.line((340, 130, 345, 230), fill=(150, 112, 70), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _yanhu_projects():
    return Project.objects.filter(code__in=WORKS, communities__subdistrict__parent__code=DISTRICT_CODE)


def delete_defects() -> None:
    """The demo's defects (first: they hold the project items `delete_works` removes)."""
    for defect in Defect.objects.filter(community__subdistrict__parent__code=DISTRICT_CODE):
        for photo in defect.photos.all():
            photo.image.delete(save=False)
    Defect.objects.filter(community__subdistrict__parent__code=DISTRICT_CODE).delete()


def _items(project) -> dict[str, ProjectItem]:
    """The project's work items by catalogue code, made once from a plan of the earlier renovation."""
    community = project.communities.get()
    plan = community.plans.filter(note=PLAN_NOTE).first()
    if plan is None:
        version = (community.plans.order_by("-version").values_list("version", flat=True).first() or 0) + 1
        # The plan those works were approved on (the compound is outside the programme, so no programme sum reads
        # it); priced at the catalogue's costs, the only ones it has.
        plan = CommunityPlan.objects.create(community=community, version=version,
                                            status=CommunityPlan.Status.APPROVED, cost_date=PRICED_ON,
                                            note=PLAN_NOTE)
    found = {}
    for code, quantity in WORKS[project.code]:
        work = WorkItem.objects.get(code=code)
        cost = work.costs.order_by("valid_from").values_list("yuan", flat=True).first() or Decimal("100")
        plan_item, _created = PlanItem.objects.get_or_create(plan=plan, item=work, defaults={
            "quantity": Decimal(quantity), "unit_cost": cost})
        found[code] = (ProjectItem.objects.filter(plan_item=plan_item).first()
                       or ProjectItem.objects.create(project=project, plan_item=plan_item))
    return found


def _home(community, index: int) -> Household:
    homes = list(Household.objects.filter(building__community=community).order_by("building__name",
                                                                                  "stairwell_unit", "room"))
    return homes[index]


@transaction.atomic
def load_defects() -> dict | None:
    """Load the demo's defects once (later loads only describe them); None without the earlier projects."""
    projects = {p.code: p for p in _yanhu_projects()}
    if set(projects) != set(WORKS):
        return None
    items = {code: _items(project) for code, project in projects.items()}
    if not Defect.objects.filter(project_item__project__in=projects.values()).exists():
        _report(projects, items)
    return _describe(projects)


def _report(projects, items) -> None:
    contractor = User.objects.filter(username=CONTRACTOR_USER).first()
    officer = User.objects.filter(username=OFFICER_USER).first()
    bureau = User.objects.filter(username="bureau").first()
    dianye, redian = projects["YH2020-03"].communities.get(), projects["YH2019-01"].communities.get()
    responder = contractor if access.company_id(contractor) == projects["YH2020-03"].contractor_id else bureau
    reporter = officer if access.may_report_for(officer, dianye) else bureau

    roof = services.report(dianye, items["YH2020-03"]["JC04"], household=_home(dianye, -1), location="顶层主卧",
                           text="连续下雨后顶层卧室顶棚渗水，墙皮起鼓发霉。", photos=[_picture("roof.jpg", False)],
                           at=_at("2021-10-08", 9, 20)).defect
    services.answer(responder, roof, "已派人查看，屋面防水卷材搭接处开裂，已于10月11日重新铺贴并做闭水试验，"
                    "顶棚已重新粉刷。", [_picture("roof-repaired.jpg", True)], at=_at("2021-10-12", 16, 5))
    services.confirm(roof, True, "已经不漏了，谢谢。", household=_home(dianye, -1), at=_at("2021-10-14", 19, 30))

    heating = services.report(dianye, items["YH2020-03"]["JC10"], household=_home(dianye, 4),
                              location="1单元楼道暖气立管", text="试供暖后楼道暖气立管接头一直滴水，地面结冰。",
                              at=_at("2021-11-16", 8, 10)).defect
    services.answer(responder, heating, "已更换立管接头垫片并紧固，请住户确认是否还滴水。",
                    [_picture("heating-repaired.jpg", True)], at=_at("2021-11-19", 15, 40))

    services.report(dianye, items["YH2020-03"]["JC11"], location="2号楼北侧", entered_by=reporter,
                    text="巡查发现2号楼北侧供水管检查井处冒水，疑似管道接口渗漏。", at=_at("2021-11-24", 10, 30))

    services.report(redian, items["YH2019-01"]["JC04"], household=_home(redian, -1), location="顶层次卧",
                    text="屋顶漏雨，次卧顶棚大面积水渍。", photos=[_picture("redian-roof.jpg", False)],
                    at=_at("2021-11-10", 18, 45))
    services.report(redian, items["YH2019-01"]["JC11"], household=_home(redian, 7), location="单元入户管",
                    text="入户供水管漏水，楼下邻居家墙面潮湿。", at=_at("2021-11-22", 7, 55))


def _describe(projects) -> dict:
    """What load_demo prints, with a fresh code for the household whose answered defect waits for its word."""
    from gaizao.households import access as codes

    defects = Defect.objects.filter(project_item__project__in=projects.values()).select_related(
        "community", "household__building", "company")
    overdue = [d.community.name for d in defects if services.is_overdue(d)]
    after = [services.responsible_name(d) for d in defects if not services.within_warranty(d)]
    # Someone may have confirmed it since the demo was loaded: then there is no code to print.
    waiting = next((d for d in defects if d.status == Defect.Status.ANSWERED and d.household_id), None)
    found = {"defects": len(defects), "overdue": "、".join(overdue) or "—", "management": "、".join(after) or "—",
             "code": None}
    if waiting is not None:
        home = waiting.household
        bureau = User.objects.filter(username="bureau").first()
        found.update(community=waiting.community.code, code=codes.issue_codes(bureau, [home])[0].code,
                     where=f"{home.building.name} {home.stairwell_unit}单元 {home.room}")
    return found
