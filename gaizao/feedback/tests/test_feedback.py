"""Residents' feedback (诉求): routing, due dates, answers, the resident's word, time-outs, pages, API, bulletin.

康杰中学家属院 (东城) is being renovated by 中建交通建设集团 (started 2021-05-01); 棉麻家属院 (西城) has a project
by a rival that has not started.
"""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from conftest import PASSWORD
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.feedback import services as feedback
from gaizao.feedback.models import Feedback, FeedbackEvent
from gaizao.feedback.services import Event
from gaizao.households.models import Committee, CommitteeMember, Household, Owner, Ownership
from gaizao.residents.session import SESSION_KEY
from gaizao.works.models import Project

PHONE, ID_NUMBER, OWNER = "13812345678", "140802195601011234", "张立荣"


def _project(code, community, company, start=None):
    project = Project.objects.create(code=code, name=f"{community.name}改造", contractor=company,
                                     planned_start=datetime.date(2021, 5, 1),
                                     planned_finish=datetime.date(2022, 1, 31), actual_start=start,
                                     status="under_construction" if start else "not_started")
    project.communities.add(community)
    return project


@pytest.fixture
def site(contractor):
    return contractor


@pytest.fixture
def west_officer(xicheng):
    return ensure_user("xicheng", PASSWORD, User.Role.SUBDISTRICT_OFFICER, subdistrict=xicheng)


@pytest.fixture
def leader(db):
    return ensure_user("leader", PASSWORD, User.Role.LEADER)


@pytest.fixture
def projects(east_community, west_community, builder, rival):
    return {"east": _project("P1", east_community, builder, start=datetime.date(2021, 5, 1)),
            "west": _project("P2", west_community, rival)}


@pytest.fixture
def home(east_community):
    """Room 301 of unit 2 in building 1, owned by 张立荣 (phone and ID stored)."""
    household = Household.objects.create(building=east_community.buildings.get(name="1号楼"), stairwell_unit=2,
                                         room="301", exclusive_area_m2=Decimal("78.50"))
    owner = Owner.objects.create(community=east_community, name=OWNER, phone=PHONE, id_number=ID_NUMBER)
    Ownership.objects.create(household=household, owner=owner)
    return household


@pytest.fixture
def neighbour(east_community):
    return Household.objects.create(building=east_community.buildings.get(name="2号楼"), stairwell_unit=1,
                                    room="101", exclusive_area_m2=Decimal("60"))


@pytest.fixture
def west_home(west_community):
    return Household.objects.create(building=west_community.buildings.first(), stairwell_unit=1, room="502",
                                    exclusive_area_m2=Decimal("70"))


@pytest.fixture
def committee_member(east_community):
    user = ensure_user("committee", PASSWORD, User.Role.COMMITTEE_MEMBER)
    committee = Committee.objects.create(community=east_community, name="康杰中学家属院临时管委会")
    CommitteeMember.objects.create(committee=committee, user=user, role="chair")
    return user


def _report(household, category="quality", text="楼道窗户关不严,漏风", **extra):
    return feedback.report(household.building.community, household=household, category=category, text=text,
                           **extra)


def _photo(kind="JPEG", name="crack.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _identify(client, household):
    session = client.session
    session[SESSION_KEY] = household.pk
    session.save()
    return client


def _days_ago(item, days, kinds=None):
    """Move an item and its events (of these kinds) back in time."""
    moment = timezone.now() - datetime.timedelta(days=days)
    events = FeedbackEvent.objects.filter(feedback=item)
    if kinds:
        events = events.filter(kind__in=kinds)
    else:
        Feedback.objects.filter(pk=item.pk).update(created_at=moment)
    events.update(at=moment)


# --- routing and due dates ------------------------------------------------------------------------------------


def test_work_problems_go_to_the_contractor_of_the_latest_started_project(projects, home, builder, rival):
    today = timezone.localdate()
    item = _report(home)
    assert (item.responsible, item.company, item.status) == ("contractor", builder, "open")
    assert item.due_date == today + datetime.timedelta(days=7)
    assert [(e.kind, e.actor) for e in item.events.all()] == [(Event.REPORTED, None)]
    # A later project in the same community takes over once it has started.
    later = _project("P3", home.building.community, rival, start=datetime.date(2021, 9, 1))
    assert _report(home, "noise", "夜里施工太吵").company == rival
    later.actual_start = None
    later.save()
    assert _report(home, "safety", "基坑没有围挡").company == builder
    assert feedback.responsible_name(item) == "中建交通建设集团"


def test_without_a_started_project_the_subdistrict_answers(projects, west_home):
    item = _report(west_home, "quality", "外墙脱落")
    assert (item.responsible, item.company) == ("subdistrict", None)
    assert feedback.responsible_name(item) == "西城办事处"


def test_utilities_go_to_the_utility_with_three_days(projects, home):
    item = _report(home, "utilities", "停水两天了")
    assert (item.responsible, item.company) == ("utility", None)
    assert item.due_date == timezone.localdate() + datetime.timedelta(days=3)
    assert feedback.responsible_name(item) in ("Utility company", "管线单位")
    other = _report(home, "other", "路灯不亮")
    assert (other.responsible, other.due_date) == ("subdistrict", timezone.localdate() + datetime.timedelta(days=7))


def test_due_days_are_settings(projects, home, settings):
    settings.FEEDBACK_DUE_DAYS, settings.FEEDBACK_UTILITY_DUE_DAYS = 5, 1
    today = timezone.localdate()
    assert _report(home).due_date == today + datetime.timedelta(days=5)
    assert _report(home, "utilities", "没有暖气").due_date == today + datetime.timedelta(days=1)


def test_a_report_needs_a_text_a_category_and_a_household_of_the_community(projects, home, west_home):
    community = home.building.community
    with pytest.raises(ValidationError):
        _report(home, text="   ")
    with pytest.raises(ValidationError):
        _report(home, category="gossip")
    with pytest.raises(ValidationError):
        feedback.report(community, household=west_home, category="quality", text="墙裂了")
    with pytest.raises(ValidationError):
        feedback.report(community, household=None, category="quality", text="墙裂了")


def test_entered_by_the_committee_for_a_household(projects, home, committee_member, west_officer):
    item = _report(home, entered_by=committee_member)
    event = item.events.get()
    assert event.actor == committee_member and event.text  # "entered for the household by the committee"
    with pytest.raises(PermissionDenied):
        _report(home, entered_by=west_officer)


def test_a_household_cannot_flood_the_list(projects, home, settings):
    settings.FEEDBACK_DAILY_LIMIT = 2
    _report(home)
    _report(home)
    with pytest.raises(ValidationError):
        _report(home)


# --- answer, confirm, time-out --------------------------------------------------------------------------------


def test_only_the_responsible_party_answers(projects, home, west_home, site, rival_user, officer, west_officer,
                                            bureau, leader):
    work = _report(home)
    for user in (rival_user, officer, west_officer, leader):
        assert not feedback.may_answer(user, work)
        with pytest.raises(PermissionDenied):
            feedback.answer(user, work, "已处理")
    assert feedback.may_answer(site, work) and feedback.may_answer(bureau, work)
    lamp = _report(home, "other", "路灯不亮")
    assert feedback.may_answer(officer, lamp) and not feedback.may_answer(site, lamp)
    assert not feedback.may_answer(west_officer, lamp)
    water = _report(west_home, "utilities", "水压低")
    assert feedback.may_answer(west_officer, water) and not feedback.may_answer(officer, water)

    answered = feedback.answer(site, work, "已重新调整窗扇,请查看")
    assert answered.status == "answered"
    assert list(answered.events.values_list("kind", "actor")) == [(Event.REPORTED, None), (Event.ANSWERED, site.pk)]


def test_the_resident_confirms_or_sends_it_back(projects, home, neighbour, site):
    item = feedback.answer(site, _report(home), "已修好")
    with pytest.raises(PermissionDenied):
        feedback.confirm(neighbour, item, True)
    with pytest.raises(ValidationError):
        feedback.confirm(home, item, False, "")
    Feedback.objects.filter(pk=item.pk).update(due_date=datetime.date(2021, 1, 1))
    reopened = feedback.confirm(home, item, False, "还是漏风")
    assert reopened.status == "open" and reopened.due_date == timezone.localdate() + datetime.timedelta(days=7)
    with pytest.raises(ValidationError):
        feedback.confirm(home, reopened, True)  # nothing to confirm until it is answered again
    feedback.answer(site, reopened, "换了密封条")
    closed = feedback.confirm(home, reopened, True, "好了,谢谢")
    assert closed.status == "closed" and closed.closed_at is not None
    assert list(closed.events.values_list("kind", flat=True)) == [
        Event.REPORTED, Event.ANSWERED, Event.REOPENED, Event.ANSWERED, Event.CONFIRMED]
    with pytest.raises(ValidationError):
        feedback.answer(site, closed, "再看看")


def test_answered_items_close_when_the_resident_stays_silent(projects, home, site, capsys):
    stale = feedback.answer(site, _report(home), "已处理")
    fresh = feedback.answer(site, _report(home, "noise", "电钻太早"), "改到8点以后")
    waiting = _report(home, "safety", "井盖松动")
    _days_ago(stale, 8, kinds=[Event.ANSWERED])
    _days_ago(fresh, 2, kinds=[Event.ANSWERED])
    _days_ago(waiting, 30)
    call_command("close_feedback")
    assert "Closed 1 " in capsys.readouterr().out
    stale.refresh_from_db(), fresh.refresh_from_db(), waiting.refresh_from_db()
    assert (stale.status, fresh.status, waiting.status) == ("closed", "answered", "open")
    assert stale.events.last().kind == Event.TIMED_OUT and stale.closed_at is not None
    assert feedback.close_stale(days=1) == 1  # the setting can be shortened from the command line too
    assert feedback.close_stale() == 0


# --- counts for the bulletin ----------------------------------------------------------------------------------


def test_counts_per_subdistrict_and_on_a_past_day(projects, home, west_home, site, dongcheng, xicheng):
    today = timezone.localdate()
    late = _report(home)
    Feedback.objects.filter(pk=late.pk).update(due_date=today - datetime.timedelta(days=1))
    feedback.answer(site, _report(home, "noise", "太吵"), "已调整")  # open, not overdue (answered)
    done = feedback.confirm(home, feedback.answer(site, _report(home), "已修"), True)
    _report(west_home, "other", "车棚漏雨")
    found = feedback.counts(Project.objects.all(), today)
    assert found["district"] == {"open": 3, "overdue": 1}
    assert found["subdistricts"][dongcheng.pk]["open"] == 2 and found["subdistricts"][dongcheng.pk]["overdue"] == 1
    assert found["subdistricts"][xicheng.pk] == {"id": xicheng.pk, "code": xicheng.code, "name": "西城办事处",
                                                 "open": 1, "overdue": 0}
    # Only the communities asked about; and nothing on a day before any of it was reported.
    assert feedback.counts(Project.objects.filter(code="P2"), today)["district"] == {"open": 1, "overdue": 0}
    assert feedback.counts([home.building.community], today)["district"]["open"] == 2
    assert feedback.counts(Project.objects.all(), today - datetime.timedelta(days=3))["district"]["open"] == 0
    # Ten days ago it was reported; it was answered and confirmed only yesterday: overdue back then.
    _days_ago(done, 10, kinds=[Event.REPORTED])
    Feedback.objects.filter(pk=done.pk).update(created_at=timezone.now() - datetime.timedelta(days=10),
                                               closed_at=timezone.now())
    two_days_ago = today - datetime.timedelta(days=2)
    assert feedback.counts(Project.objects.filter(code="P1"), two_days_ago)["district"] == {"open": 1, "overdue": 1}


def test_the_bulletin_shows_open_and_overdue_feedback(projects, home, west_home, bureau, client):
    from docx import Document
    from openpyxl import load_workbook

    from gaizao.works import bulletin, bulletin_excel, bulletin_word

    today = timezone.localdate()
    late = _report(home)
    Feedback.objects.filter(pk=late.pk).update(due_date=today - datetime.timedelta(days=2))
    _report(home, "other", "路灯不亮")
    _report(west_home, "other", "车棚漏雨")
    data = bulletin.bulletin_data(today, Project.objects.all())
    assert (data["district"]["feedback_open"], data["district"]["feedback_overdue"]) == (3, 1)
    rows = {s["name"]: (s["feedback_open"], s["feedback_overdue"]) for s in data["subdistricts"]}
    assert rows == {"东城办事处": (2, 1), "西城办事处": (1, 0)}
    assert "3" in data["feedback_paragraph"] and "1" in data["feedback_paragraph"]

    document = Document(io.BytesIO(bulletin_word.bulletin_docx(data)))
    assert data["feedback_paragraph"] in [p.text for p in document.paragraphs]
    ranking = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert [row[8:10] for row in ranking[1:]] == [["2", "1"], ["1", "0"]]

    workbook = load_workbook(io.BytesIO(bulletin_excel.bulletin_xlsx(data)))
    summary = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert 3 in summary.values() and data["feedback_paragraph"] in summary.values()
    sheet = workbook.worksheets[1]
    assert [list(r[10:12]) for r in sheet.iter_rows(min_row=2, values_only=True)] == [[2, 1], [1, 0]]

    client.force_login(bureau)
    page = client.get(reverse("works:bulletin"), {"date": today.isoformat()})
    html = page.content.decode()
    assert 'data-figure="feedback-open">3<' in html and 'data-figure="feedback-overdue">1<' in html
    assert escape(data["feedback_paragraph"]) in html


# --- staff pages ----------------------------------------------------------------------------------------------


@pytest.fixture
def reports(projects, home, west_home):
    today = timezone.localdate()
    window = _report(home, text=f"窗户漏风,业主{OWNER}电话{PHONE},身份证{ID_NUMBER}")
    Feedback.objects.filter(pk=window.pk).update(due_date=today - datetime.timedelta(days=1))
    lamp = _report(home, "other", "路灯不亮")
    shed = _report(west_home, "quality", "=HYPERLINK(\"http://example.com\",\"点我\")")
    return {"window": window, "lamp": lamp, "shed": shed}


def _listed(client, **params):
    page = client.get(reverse("feedback:list"), params)
    assert page.status_code == 200
    return sorted(row["item"].pk for row in page.context["rows"])


def test_each_role_sees_its_own_feedback(reports, client, bureau, officer, west_officer, site, rival_user,
                                         committee_member, leader, resident):
    window, lamp, shed = reports["window"].pk, reports["lamp"].pk, reports["shed"].pk
    expected = [(bureau, [window, lamp, shed]), (leader, [window, lamp, shed]), (officer, [window, lamp]),
                (west_officer, [shed]), (site, [window]), (rival_user, []), (committee_member, [window, lamp])]
    for user, items in expected:
        client.force_login(user)
        assert _listed(client) == sorted(items), user.username
    client.force_login(site)
    assert client.get(reverse("feedback:detail", args=[lamp])).status_code == 404
    client.force_login(resident)
    assert client.get(reverse("feedback:list")).status_code == 403
    client.logout()
    assert client.get(reverse("feedback:list")).status_code == 302


def test_the_list_filters_searches_and_sorts(reports, client, bureau):
    client.force_login(bureau)
    window, lamp, shed = reports["window"].pk, reports["lamp"].pk, reports["shed"].pk
    assert _listed(client, overdue="1") == [window]
    assert _listed(client, category="other") == [lamp]
    assert _listed(client, community="XC001") == [shed]
    assert _listed(client, q="路灯") == [lamp]
    assert _listed(client, q="301") == [window, lamp]
    assert _listed(client, status="answered") == []
    page = client.get(reverse("feedback:list"), {"sort": "due"})
    assert [r["item"].pk for r in page.context["rows"]][0] == window
    assert page.context["summary"] == {"open": 3, "answered": 0, "overdue": 1}
    html = page.content.decode()
    assert OWNER not in html and PHONE not in html and ID_NUMBER not in html
    assert "138****5678" in html and "张**" in html and "1号楼 2单元301" in html


def test_with_many_communities_the_community_filter_is_a_code_to_type(reports, client, bureau, monkeypatch):
    from gaizao.feedback import views

    client.force_login(bureau)
    page = client.get(reverse("feedback:list"), {"community": "XC001"}).content.decode()
    assert '<select class="form-select" id="community"' in page
    monkeypatch.setattr(views, "COMMUNITY_CHOICES", 1)  # two communities have feedback
    page = client.get(reverse("feedback:list"), {"community": "XC001"})
    html = page.content.decode()
    assert '<select class="form-select" id="community"' not in html
    assert 'id="community" name="community" value="XC001"' in html  # what was typed stays
    assert [row["item"].pk for row in page.context["rows"]] == [reports["shed"].pk]


def test_the_export_has_no_names_phones_or_ids(reports, client, officer):
    from openpyxl import load_workbook

    client.force_login(officer)
    response = client.get(reverse("feedback:list"), {"format": "xlsx"})
    assert response.status_code == 200 and ".xlsx" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))
    assert PHONE not in xml and ID_NUMBER not in xml and "西城" not in xml
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2
    window = next(r for r in rows if r[0] == reports["window"].pk)
    assert window[5:7] == ("1号楼", "2单元301") and "138****5678" in window[8]
    assert OWNER not in xml and "业主张**电话" in window[8]  # the owner's own name, typed into the text, is masked


def test_formulas_stay_text_in_the_export(reports, client, bureau):
    client.force_login(bureau)
    content = client.get(reverse("feedback:list"), {"format": "xlsx", "community": "XC001"}).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in xml for xml in sheets)


def test_the_contractor_answers_on_the_detail_page(reports, client, site, officer):
    url = reverse("feedback:detail", args=[reports["window"].pk])
    client.force_login(officer)
    page = client.get(url)
    assert page.status_code == 200 and not page.context["can_answer"]
    assert client.post(url, {"text": "看看"}).status_code == 403
    client.force_login(site)
    page = client.get(url)
    assert page.context["can_answer"] and 'id="answer-form"' in page.content.decode()
    assert client.post(url, {"text": ""}).status_code == 400
    response = client.post(url, {"text": "已更换窗扇 <b>请查看</b>"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "&lt;b&gt;请查看&lt;/b&gt;" in html and reports["window"].events.count() == 2
    assert "中建交通建设集团" in html


# --- resident pages -------------------------------------------------------------------------------------------


def test_resident_pages_need_the_household(projects, home, west_home, client):
    try:
        entry = reverse("residents:entry", args=["DC001"])
    except NoReverseMatch:
        pytest.skip("the residents' entry page is not there yet")
    response = client.get(reverse("feedback:new", args=["DC001"]))
    assert response.status_code == 302 and response["Location"] == entry
    _identify(client, west_home)  # identified, but for another community
    assert client.get(reverse("feedback:mine", args=["DC001"])).status_code == 302


def test_a_resident_reports_with_a_photo_and_keeps_the_text_on_an_error(projects, home, client, settings,
                                                                        tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _identify(client, home)
    url = reverse("feedback:new", args=["DC001"])
    page = client.get(url)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    fake = SimpleUploadedFile("crack.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    page = client.post(url, {"category": "quality", "text": "三楼楼梯扶手松动", "photo": fake})
    assert page.status_code == 400
    html = page.content.decode()
    assert "三楼楼梯扶手松动" in html and page.context["form"]["category"].value() == "quality"
    assert html.count(" checked") == 1 and "not a photo" in html or "不是" in html
    assert not Feedback.objects.exists()
    response = client.post(url, {"category": "quality", "text": "三楼楼梯扶手松动", "photo": _photo()})
    assert response.status_code == 302 and response["Location"] == reverse("feedback:mine", args=["DC001"])
    item = Feedback.objects.get()
    assert (item.household, item.responsible, item.photo.name.startswith("feedback/")) == (home, "contractor", True)
    assert "crack" not in item.photo.name and item.photo.name.endswith(".jpg")
    assert client.get(reverse("feedback:photo", args=[item.pk]))["Content-Type"].startswith("image/")
    stranger = Client()
    assert stranger.get(reverse("feedback:photo", args=[item.pk])).status_code == 404


def test_the_resident_reads_the_answer_and_reopens_then_confirms(projects, home, neighbour, site, client):
    item = feedback.answer(site, _report(home), "已修好 <script>alert(1)</script>")
    _identify(client, home)
    mine = reverse("feedback:mine", args=["DC001"])
    html = client.get(mine).content.decode()
    assert "已修好 &lt;script&gt;" in html and "<script>alert" not in html
    assert reverse("feedback:confirm", args=["DC001", item.pk]) in html
    confirm = reverse("feedback:confirm", args=["DC001", item.pk])
    client.post(confirm, {f"c{item.pk}-satisfied": "no", f"c{item.pk}-text": ""})
    item.refresh_from_db()
    assert item.status == "answered"  # not without saying what is wrong
    client.post(confirm, {f"c{item.pk}-satisfied": "no", f"c{item.pk}-text": "窗户还是漏风"})
    item.refresh_from_db()
    assert item.status == "open"
    feedback.answer(site, item, "换了密封条")
    assert client.post(confirm, {f"c{item.pk}-satisfied": "yes"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "closed"
    # Another household cannot touch it.
    other = _identify(Client(), neighbour)
    assert other.post(reverse("feedback:confirm", args=["DC001", item.pk]),
                      {f"c{item.pk}-satisfied": "no", f"c{item.pk}-text": "x"}).status_code == 404
    assert other.get(mine).context["rows"] == []


# --- API ------------------------------------------------------------------------------------------------------


def test_the_api_lists_what_the_caller_may_see(reports, client, site, officer, home):
    client.force_login(site)
    data = client.get("/api/feedback/").json()
    assert [r["id"] for r in data["results"]] == [reports["window"].pk]
    row = data["results"][0]
    assert row["household"] == "2单元301" and row["responsible_name"] == "中建交通建设集团" and row["overdue"]
    body = client.get("/api/feedback/").content.decode()
    assert PHONE not in body and ID_NUMBER not in body and "138****5678" in body
    client.force_login(officer)
    assert client.get("/api/feedback/", {"category": "other"}).json()["count"] == 1
    assert client.get("/api/feedback/", {"overdue": "true"}).json()["count"] == 1
    anonymous = Client()
    assert anonymous.get("/api/feedback/").status_code in (401, 403)
    resident = _identify(Client(), home)
    assert resident.get("/api/feedback/").json()["count"] == 2


def test_a_resident_reports_through_the_api_with_csrf(projects, home):
    resident = _identify(Client(enforce_csrf_checks=True), home)
    payload = {"category": "noise", "text": "晚上十点还在施工", "community": "DC001"}
    assert resident.post("/api/feedback/", payload, content_type="application/json").status_code == 403
    assert not Feedback.objects.exists()
    resident.get(reverse("feedback:new", args=["DC001"]))  # the page sets the CSRF cookie
    token = resident.cookies["csrftoken"].value
    elsewhere = {**payload, "community": "XC001"}
    response = resident.post("/api/feedback/", elsewhere, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 400 and "DC001" in response.json()["community"][0]
    response = resident.post("/api/feedback/", payload, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
    assert response.json()["responsible"] == "contractor" and response.json()["household"] == "2单元301"


def test_committee_and_staff_report_through_the_api(projects, home, west_home, committee_member, site, client,
                                                    settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(committee_member)
    response = client.post("/api/feedback/", {"category": "quality", "text": "外墙空鼓", "community": "DC001",
                                              "household": home.pk, "photo": _photo("PNG", "wall.png")})
    assert response.status_code == 201, response.content
    assert response.json()["photo"].endswith(f"/feedback/{response.json()['id']}/photo/")
    assert Feedback.objects.get().events.get().actor == committee_member
    bad = client.post("/api/feedback/", {"category": "quality", "text": "x", "community": "DC001",
                                         "household": west_home.pk})
    assert bad.status_code == 400
    assert client.post("/api/feedback/", {"category": "quality", "text": "x", "community": "XC001"}).status_code \
        == 403
    fake = SimpleUploadedFile("a.jpg", b"GIF89a....", content_type="image/jpeg")
    assert client.post("/api/feedback/", {"category": "quality", "text": "x", "community": "DC001",
                                          "photo": fake}).status_code == 400
    client.force_login(site)
    assert client.post("/api/feedback/", {"category": "quality", "text": "x", "community": "DC001"}).status_code \
        == 403


def test_answer_and_confirm_through_the_api(reports, client, site, rival_user, home):
    window = reports["window"].pk
    client.force_login(rival_user)
    assert client.post(f"/api/feedback/{window}/answer/", {"text": "好"}).status_code == 404
    client.force_login(site)
    assert client.post(f"/api/feedback/{reports['lamp'].pk}/answer/", {"text": "好"}).status_code == 404
    response = client.post(f"/api/feedback/{window}/answer/", {"text": "已处理,电话13912345678"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "answered"
    assert "13912345678" not in response.content.decode()
    resident = _identify(Client(), home)
    response = resident.post(f"/api/feedback/{window}/confirm/", {"satisfied": True}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert client.post(f"/api/feedback/{window}/answer/", {"text": "再看"}).status_code == 400
    assert Client().post(f"/api/feedback/{window}/confirm/", {"satisfied": True}).status_code in (401, 403)


def test_the_schema_has_the_feedback_endpoints(client, bureau):
    client.force_login(bureau)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/feedback/", "/api/feedback/{id}/answer/", "/api/feedback/{id}/confirm/", "/api/notices/"):
        assert path in schema["paths"], path
    assert "post" in schema["paths"]["/api/feedback/"] and "get" in schema["paths"]["/api/feedback/"]
