"""One small world for the security tests, built once per module through the services the pages use.

Two sub-districts (东城, 西城) with a community each; an approved plan and a started project in each (东城's by
中建交通建设集团, 西城's by a second contractor); a programme with an optimised scenario; households and owners
imported from a workbook; a residents' committee with a member for each community; an open vote, a needs survey,
feedback (with a photo) and notices in each; a census import job; and a resident's phone that identified its
household with a one-time code on the entry page.

User texts come from `texts` (a dict of field → text) so that the injection tests can build the same world from
hostile strings. The world lives in a transaction that is rolled back when the module ends; each test runs in a
savepoint inside it (pytest-django's `db`).
"""

import datetime
import io
from decimal import Decimal
from http.cookies import SimpleCookie
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from PIL import Image

from conftest import PASSWORD, make_community
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.communities.census import jobs
from gaizao.communities.census.exporter import census_workbook
from gaizao.core import clock
from gaizao.core.excel import keep_as_text, to_bytes
from gaizao.feedback import services as feedback
from gaizao.households import access
from gaizao.households import services as households
from gaizao.households.models import Committee, CommitteeMember, Household
from gaizao.notices import services as notices
from gaizao.planning import programme as programmes
from gaizao.planning.models import Programme, ProgrammeYear, Scenario
from gaizao.regions.models import Area, DistrictSettings
from gaizao.surveys import services as surveys
from gaizao.surveys.models import Survey
from gaizao.votes import services as votes
from gaizao.works import services as works_services
from gaizao.works.models import Acceptance, AcceptanceDocument, Company, CompanyMember, Milestone
from gaizao.works.photos import attach_photo
from gaizao.works.tests.conftest import make_project

# Owners of the register: full numbers that must never show where they are not needed.
OWNERS = [
    # building index, unit, room, area, name, phone, ID number
    (0, 1, "101", "70.5", "张立荣", "13812345678", "140802195601011232"),
    (0, 1, "102", "65", "王秀英", "13987654321", "140802196203150020"),
    (0, 2, "201", "80", "李建国", "13700001111", "14080219700707001X"),
]
RESIDENT_ROOM = (0, 1, "101")  # the household whose phone identified itself
WORK_DAY = datetime.date(2021, 6, 1)
# The world is a district in late 2021, and the platform lives on that day (gaizao.core.clock): the bulletin
# and dashboard default to it and its milestone (2021-12-31) is still ahead.
WORLD_DAY = datetime.date(2021, 11, 25)

PLAIN_TEXTS = {
    "east_name": "康杰中学家属院",
    "east_address": "盐湖区解放路1号",
    "west_name": "棉麻家属院",
    "builder": "中建交通建设集团",
    "rival": "运城市第二建筑工程有限公司",
    "note": "今日完成外墙保温",
    "feedback": "楼道灯不亮，施工后一直没修",
    "notice_title": "停水通知",
    "notice_body": "6月5日8时至18时停水，请提前储水。",
    "vote_title": "改造方案表决",
    "vote_description": "对本小区改造方案进行表决",
    "survey_title": "改造内容征求意见",
    "committee": "康杰临时管委会",
    "owner": "张立荣",
    "building": "1号楼",
    "item": "",  # a work item's name; empty keeps the catalog's
    "programme": "2022—2024年改造计划",
    "scenario": "按预算优化",
}


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _households_workbook(community, rows) -> bytes:
    workbook = households.households_workbook()
    sheet = workbook[households.SHEET]
    buildings = list(community.buildings.order_by("name"))
    for building_index, unit, room, area, name, phone, id_number in rows:
        sheet.append([community.code, buildings[building_index].name, unit, room, float(area), name, phone,
                      id_number, "是"])
        for cell in sheet[sheet.max_row]:
            keep_as_text(cell)  # typed text, as a clerk would (not a formula)
    return to_bytes(workbook)


def _import_households(actor, community, rows):
    upload = SimpleUploadedFile("households.xlsx", _households_workbook(community, rows))
    households.apply_import(upload, actor, community, reason="住户登记")


def _household(community, building_index, unit, room):
    building = community.buildings.order_by("name")[building_index]
    return Household.objects.get(building=building, stairwell_unit=unit, room=room)


def _started_project(code, community, company, reporter, note):
    project = make_project(code, community, company)
    item = project.items.order_by("pk").first()
    works_services.record_progress(reporter, project, WORK_DAY, {item.pk: item.plan_item.quantity / 4}, note=note)
    project.refresh_from_db()
    return project


def _login(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def build_world(texts: dict | None = None) -> SimpleNamespace:
    t = {**PLAIN_TEXTS, **(texts or {})}
    w = SimpleNamespace(texts=t)
    city = Area.objects.create(name="运城市", code="140800", level=Area.Level.CITY)
    w.district = Area.objects.create(name="盐湖区", code="140802", level=Area.Level.DISTRICT, parent=city)
    DistrictSettings.objects.create(district=w.district, cutoff_year=2000, default_cost_per_m2=Decimal("600"))
    w.dongcheng = Area.objects.create(name="东城办事处", code="140802001", level=Area.Level.SUBDISTRICT,
                                      parent=w.district)
    w.xicheng = Area.objects.create(name="西城办事处", code="140802002", level=Area.Level.SUBDISTRICT,
                                    parent=w.district)

    # People.
    w.bureau = ensure_user("bureau", PASSWORD, User.Role.BUREAU, full_name="住建局")
    w.leader = ensure_user("leader", PASSWORD, User.Role.LEADER)
    w.officer = ensure_user("dongcheng", PASSWORD, User.Role.SUBDISTRICT_OFFICER, subdistrict=w.dongcheng)
    w.west_officer = ensure_user("xicheng", PASSWORD, User.Role.SUBDISTRICT_OFFICER, subdistrict=w.xicheng)
    w.builder = Company.objects.create(name=t["builder"], kind=Company.Kind.CONTRACTOR)
    w.rival = Company.objects.create(name=t["rival"], kind=Company.Kind.CONTRACTOR)
    w.contractor = ensure_user("site", PASSWORD, User.Role.CONTRACTOR)
    CompanyMember.objects.create(user=w.contractor, company=w.builder)
    w.rival_user = ensure_user("rival", PASSWORD, User.Role.CONTRACTOR)
    CompanyMember.objects.create(user=w.rival_user, company=w.rival)
    w.member = ensure_user("weiyuan", PASSWORD, User.Role.COMMITTEE_MEMBER, full_name="李委员")
    w.west_member = ensure_user("xiweiyuan", PASSWORD, User.Role.COMMITTEE_MEMBER)

    # Communities, plans and projects.
    w.east = make_community(w.dongcheng, "DC001", t["east_name"],
                            buildings=((4, 32, "2800"), (5, 40, "3600")), address=t["east_address"],
                            investment_estimate=Decimal("3000000"), batch_year=2021, programme_status="implementing",
                            latitude=Decimal("35.026"), longitude=Decimal("111.007"))
    w.east.buildings.filter(name="1号楼").update(name=t["building"])
    w.west = make_community(w.xicheng, "XC001", t["west_name"], year_built=1988,
                            latitude=Decimal("35.030"), longitude=Decimal("111.001"))
    w.project = _started_project("P1", w.east, w.builder, w.contractor, t["note"])
    w.rival_project = _started_project("P2", w.west, w.rival, w.rival_user, "西城施工")
    if t["item"]:
        item = w.project.items.order_by("pk").first().plan_item.item
        item.name = t["item"]
        item.save(update_fields=["name"])
    w.entry = w.project.items.order_by("pk").first().entries.get()
    w.rival_entry = w.rival_project.items.order_by("pk").first().entries.get()
    # A site photo of 东城's project and an acceptance document of 西城's: both served only through checked views.
    w.photo = attach_photo(w.entry, SimpleUploadedFile("site.png", png_bytes(), content_type="image/png"), "during")
    rival_acceptance = Acceptance.objects.create(project=w.rival_project, date=WORK_DAY, participants="居民代表")
    w.rival_document = AcceptanceDocument.objects.create(
        acceptance=rival_acceptance, title="验收纪要.pdf", file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 x"))
    Milestone.objects.create(area=w.district, date=datetime.date(2021, 12, 31), target_share=Decimal("0.9"),
                             name="年底目标")

    # The programme and one optimised scenario.
    w.programme = Programme.objects.create(name=t["programme"], district=w.district, first_year=2022,
                                           last_year=2024, current_year=2022)
    for year in (2022, 2023, 2024):
        ProgrammeYear.objects.create(programme=w.programme, year=year, budget_yuan=Decimal(5_000_000))
    programmes.sync_assignments(w.programme)
    w.assignment = w.programme.assignments.get(community=w.east)
    w.west_assignment = w.programme.assignments.get(community=w.west)
    w.scenario = Scenario.objects.create(programme=w.programme, name=t["scenario"],
                                         inputs=programmes.default_inputs(w.programme))
    programmes.run_scenario(w.scenario.pk)
    w.scenario.refresh_from_db()
    # A second run that places both communities differently, for the comparison page.
    moved = {**w.scenario.result, "placements": {
        code: {**placed, "year": 2024 if placed.get("year") != 2024 else 2023}
        for code, placed in w.scenario.result["placements"].items()}}
    w.other_scenario = Scenario.objects.create(programme=w.programme, name="再算", inputs=w.scenario.inputs,
                                               status=Scenario.Status.DONE, result=moved)

    # A census upload waiting to be checked (its check runs after the commit that never comes).
    upload = SimpleUploadedFile("census.xlsx", to_bytes(census_workbook()))
    w.job = jobs.start_check(w.bureau, upload, "zh-hans")

    # The residents: register, committees, codes.
    owners = [(*row[:4], t["owner"] if index == 0 else row[4], *row[5:]) for index, row in enumerate(OWNERS)]
    w.owners = owners
    _import_households(w.bureau, w.east, owners)
    w.west_household_owner = "赵西城"
    _import_households(w.bureau, w.west, [(0, 1, "101", "60", w.west_household_owner, "13611112222",
                                           "140802198001010010")])
    w.household = _household(w.east, *RESIDENT_ROOM)
    w.neighbour = _household(w.east, 0, 1, "102")
    w.west_household = _household(w.west, 0, 1, "101")
    w.committee = Committee.objects.create(community=w.east, name=t["committee"])
    w.committee_member = CommitteeMember.objects.create(committee=w.committee, user=w.member)
    w.west_committee = Committee.objects.create(community=w.west, name="棉麻业委会")
    CommitteeMember.objects.create(committee=w.west_committee, user=w.west_member)

    # An open vote, a needs survey and notices in each community.
    now = clock.now()
    opens, closes = now - datetime.timedelta(days=1), now + datetime.timedelta(days=7)
    w.vote = votes.create_vote(w.bureau, w.east, title=t["vote_title"], description=t["vote_description"],
                               opens_at=opens, closes_at=closes)
    w.west_vote = votes.create_vote(w.bureau, w.west, title="棉麻表决", opens_at=opens, closes_at=closes)
    w.survey = surveys.create_survey(w.east, Survey.Kind.NEEDS, t["survey_title"], opens, closes)
    w.west_survey = surveys.create_survey(w.west, Survey.Kind.NEEDS, "棉麻问需", opens, closes)
    w.notice = notices.publish(w.officer, title=t["notice_title"], body=t["notice_body"], community=w.east)
    w.district_notice = notices.publish(w.bureau, title="全区通知", body="全区改造动员。", area=w.district)
    w.west_notice = notices.publish(w.west_officer, title="西城通知", body="西城停电。", community=w.west)

    # Feedback: the resident's (with a photo), the neighbour's, and one in 西城.
    w.feedback = feedback.report(w.east, household=w.household, category="quality", text=t["feedback"],
                                 photo=SimpleUploadedFile("lamp.png", png_bytes(), content_type="image/png"))
    w.neighbour_feedback = feedback.report(w.east, household=w.neighbour, category="other", text="垃圾没清运")
    w.west_feedback = feedback.report(w.west, household=w.west_household, category="quality", text="西城漏水",
                                      photo=SimpleUploadedFile("leak.png", png_bytes(), content_type="image/png"))

    # The joint meeting: departments with a member of the water company, their items, utilities' works.
    from gaizao.coordination.tests.world import add_to_world

    add_to_world(w, PASSWORD)

    # Defects in accepted work: 东城's project item accepted in 2020, 西城's project; each household's own.
    from gaizao.defects.tests.world import add_defects

    add_defects(w, png_bytes())

    # Sessions: staff log in; the resident identifies the household with a code on the entry page.
    w.sessions = {name: _login(getattr(w, attr)) for name, attr in (
        ("bureau", "bureau"), ("leader", "leader"), ("officer", "officer"), ("contractor", "contractor"),
        ("committee", "member"), ("department", "department"))}
    code = access.issue_codes(w.member, [w.household])[0].code
    phone = Client()
    answer = phone.post(reverse("residents:entry", args=[w.east.code]),
                        {"building": w.household.building_id, "unit": w.household.stairwell_unit,
                         "room": w.household.room, "code": code})
    assert answer.status_code == 302 and answer.url == reverse("residents:home", args=[w.east.code]), answer
    w.sessions["resident"] = phone.cookies[settings.SESSION_COOKIE_NAME].value
    w.sessions["anonymous"] = None
    return w


def client_for(world, persona: str) -> Client:
    """The persona's browser with only its session cookie (so a logout or a new session id does not carry on).

    One client per persona: a new client loads the middleware again, and WhiteNoise then rescans every static
    file."""
    clients = world.__dict__.setdefault("clients", {})
    client = clients.get(persona) or clients.setdefault(persona, Client())
    client.cookies = SimpleCookie()
    key = world.sessions[persona]
    if key:
        client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


@pytest.fixture(scope="module")
def world_texts():
    return None


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory, world_texts):
    """The world, once per module, in a transaction rolled back at the end of the module."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media), GAIZAO_TODAY=WORLD_DAY):
        cache.clear()
        _forget_kept_sums()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(world_texts)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()
            _forget_kept_sums()


def _forget_kept_sums():
    """The progress measures keep project items' names between requests, keyed by row counts that a rolled-back
    world repeats with other names: start and end each world without them."""
    from gaizao.works import measures

    getattr(measures, "forget_kept_sums", lambda: None)()

