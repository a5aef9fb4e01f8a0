"""Notices to a community, a sub-district or the district, started from the shipped templates."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.core.models import AuditEntry
from gaizao.households.models import Committee, CommitteeMember
from gaizao.notices import seasonal
from gaizao.notices import services as notices
from gaizao.notices.models import Notice


@pytest.fixture
def west_officer(xicheng):
    return ensure_user("xicheng", PASSWORD, User.Role.SUBDISTRICT_OFFICER, subdistrict=xicheng)


@pytest.fixture
def board(district, dongcheng, xicheng, east_community, west_community, bureau):
    """One notice for each audience, one ended and one not yet published."""
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    return {
        "district": notices.publish(bureau, title="全区停暖检修", body="全区", area=district),
        "east_sub": notices.publish(bureau, title="东城办事处通知", body="东城", area=dongcheng),
        "west_sub": notices.publish(bureau, title="西城办事处通知", body="西城", area=xicheng),
        "east": notices.publish(bureau, title="康杰停水", body="康杰", community=east_community),
        "west": notices.publish(bureau, title="棉麻停电", body="棉麻", community=west_community),
        "ended": notices.publish(bureau, title="已结束", body="旧", community=east_community,
                                 published_at=now - 5 * hour, valid_until=now - hour),
        "later": notices.publish(bureau, title="明天施工", body="新", community=east_community,
                                 published_at=now + 24 * hour),
    }


def test_the_templates_include_the_newspapers_freeze_advice():
    keys = [t.key for t in seasonal.TEMPLATES]
    assert keys == ["freeze", "water_cut", "power_cut", "construction"]
    freeze = seasonal.template("freeze")
    assert freeze.title == "冬季供水管道防冻提示"
    # Wrap outdoor pipes and meters, close windows, let a tap drip below 0 °C, drain before leaving, thaw with warm
    # water and never fire or boiling water, and the utility's 24-hour hotline printed in the paper.
    for words in ("5厘米", "水表可用草袋", "关紧阳台、厨房、卫生间的门窗", "0℃以下", "成线滴流", "长时间外出",
                  "排空水管、水表中的存水", "30℃左右的温水", "切不可用火烘烤或用开水浇烫", "24小时", "2587866"):
        assert words in freeze.body, words
    assert seasonal.PLACEHOLDER not in freeze.body  # ready to publish as it is
    for key in ("water_cut", "power_cut", "construction"):
        assert seasonal.PLACEHOLDER in seasonal.template(key).body  # the sender fills in dates and contacts
    assert seasonal.template("nope") is None


def test_residents_read_what_reaches_their_community(board, east_community, west_community):
    east = [n.title for n in notices.for_community(east_community)]
    assert sorted(east) == sorted(["全区停暖检修", "东城办事处通知", "康杰停水"])
    west = [n.title for n in notices.for_community(west_community)]
    assert sorted(west) == sorted(["全区停暖检修", "西城办事处通知", "棉麻停电"])
    tomorrow = timezone.now() + datetime.timedelta(days=1, hours=1)
    assert "明天施工" in [n.title for n in notices.for_community(east_community, now=tomorrow)]


def test_who_may_publish_to_whom(district, dongcheng, xicheng, east_community, west_community, bureau, officer,
                                 west_officer, resident):
    assert notices.may_publish(bureau, area=district) and notices.may_publish(bureau, community=west_community)
    assert notices.may_publish(officer, area=dongcheng) and notices.may_publish(officer, community=east_community)
    assert not notices.may_publish(officer, area=district)
    assert not notices.may_publish(officer, area=xicheng)
    assert not notices.may_publish(officer, community=west_community)
    assert not notices.may_publish(resident, community=east_community)
    with pytest.raises(PermissionDenied):
        notices.publish(west_officer, title="t", body="b", community=east_community)
    values = [v for v, _label in notices.audiences_for(officer)]
    assert values == [f"area:{dongcheng.pk}", f"community:{east_community.pk}"]
    assert notices.audiences_for(resident) == []
    assert notices.audiences_for(bureau)[0] == (f"area:{district.pk}", notices.audiences_for(bureau)[0][1])


def test_a_notice_needs_an_audience_a_text_and_no_blanks_left(east_community, bureau):
    with pytest.raises(ValidationError):
        notices.publish(bureau, title="停水通知", body="x")
    with pytest.raises(ValidationError):
        notices.publish(bureau, title="停水通知", body="  ", community=east_community)
    with pytest.raises(ValidationError):
        notices.publish(bureau, title="停水通知", body=seasonal.template("water_cut").body, community=east_community)
    now = timezone.now()
    with pytest.raises(ValidationError):
        notices.publish(bureau, title="t", body="b", community=east_community, published_at=now, valid_until=now)
    notice = notices.publish(bureau, title="t", body="b", community=east_community)
    assert AuditEntry.objects.filter(object_type="notices.notice", object_id=str(notice.pk)).exists()


def test_staff_start_from_a_template_and_publish(east_community, officer, client):
    client.force_login(officer)
    url = reverse("notices:list")
    page = client.get(url, {"template": "freeze"})
    assert page.status_code == 200
    form = page.context["form"]
    assert form["title"].value() == "冬季供水管道防冻提示" and "2587866" in form["body"].value()
    page = client.get(url, {"template": "water_cut"})
    body = page.context["form"]["body"].value()
    response = client.post(url, {"audience": f"community:{east_community.pk}", "title": "停水通知", "body": body})
    assert response.status_code == 400 and not Notice.objects.exists()
    assert "【请填写" in response.content.decode()  # what was typed is kept
    filled = body.replace("【请填写:原因,如小区供水管网改造】", "供水管网改造").replace("【请填写", "【")
    response = client.post(url, {"audience": f"community:{east_community.pk}", "title": "停水通知", "body": filled,
                                 "valid_until": (timezone.localtime() + datetime.timedelta(days=2))
                                 .strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert (notice.community, notice.created_by, notice.area) == (east_community, officer, None)
    assert notice.valid_until is not None
    html = client.get(url).content.decode()
    assert "停水通知" in html and reverse("notices:end", args=[notice.pk]) in html


def test_an_officer_cannot_address_another_subdistrict(west_community, district, officer, client):
    client.force_login(officer)
    url = reverse("notices:list")
    for audience in (f"community:{west_community.pk}", f"area:{district.pk}", "area:nope"):
        response = client.post(url, {"audience": audience, "title": "t", "body": "b"})
        assert response.status_code == 400
    assert not Notice.objects.exists()


def test_those_without_the_right_only_read(board, east_community, builder_user, client, resident):
    client.force_login(builder_user)
    page = client.get(reverse("notices:list"))
    assert page.status_code == 200 and page.context["form"] is None
    titles = {row["notice"].title for row in page.context["rows"]}
    assert titles == {"全区停暖检修", "东城办事处通知", "康杰停水", "已结束", "明天施工"}
    assert client.post(reverse("notices:list"), {"title": "x"}).status_code == 403
    assert client.post(reverse("notices:end", args=[board["east"].pk])).status_code == 403
    client.force_login(resident)
    assert client.get(reverse("notices:list")).status_code == 403


@pytest.fixture
def builder_user(east_community):
    import datetime as dt

    from gaizao.works.models import Company, CompanyMember, Project

    company = Company.objects.create(name="中建交通建设集团", kind=Company.Kind.CONTRACTOR)
    project = Project.objects.create(code="P1", name="康杰改造", contractor=company,
                                     planned_start=dt.date(2021, 5, 1), planned_finish=dt.date(2022, 1, 31))
    project.communities.add(east_community)
    user = ensure_user("site", PASSWORD, User.Role.CONTRACTOR)
    CompanyMember.objects.create(user=user, company=company)
    return user


def test_taking_a_notice_down(board, east_community, officer, west_officer, client):
    notice = board["east"]
    client.force_login(west_officer)
    assert client.post(reverse("notices:end", args=[notice.pk])).status_code == 404
    client.force_login(officer)
    assert client.post(reverse("notices:end", args=[board["district"].pk])).status_code == 403
    assert client.post(reverse("notices:end", args=[notice.pk])).status_code == 302
    assert "康杰停水" not in [n.title for n in notices.for_community(east_community)]
    notices.end(officer, board["later"])  # called off before it was shown
    board["later"].refresh_from_db()
    assert notices.state(board["later"]) == "ended"
    tomorrow = timezone.now() + datetime.timedelta(days=2)
    assert "明天施工" not in [n.title for n in notices.for_community(east_community, now=tomorrow)]


def test_the_residents_page_shows_plain_text_with_line_breaks(east_community, bureau):
    notices.publish(bureau, title="<b>停电</b>通知", body="第一行\n<script>alert(1)</script>\n第三行",
                    community=east_community)
    response = Client().get(reverse("notices:resident_list", args=["DC001"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;b&gt;停电&lt;/b&gt;通知" in html
    assert "第一行<br>&lt;script&gt;alert(1)&lt;/script&gt;<br>第三行" in html
    assert "<script>alert" not in html
    assert Client().get(reverse("notices:resident_list", args=["NOPE"])).status_code == 404


def test_the_notices_api(board, bureau, officer, client):
    anonymous = Client()
    data = anonymous.get("/api/notices/", {"community": "XC001"}).json()
    assert sorted(n["title"] for n in data["results"]) == sorted(["全区停暖检修", "西城办事处通知", "棉麻停电"])
    assert {n["audience"] for n in data["results"]} >= {"棉麻家属院", "西城办事处"}
    assert anonymous.get("/api/notices/", {"community": "NOPE"}).status_code == 404
    assert anonymous.get("/api/notices/").status_code == 400
    client.force_login(officer)
    titles = {n["title"] for n in client.get("/api/notices/").json()["results"]}
    assert titles == {"全区停暖检修", "东城办事处通知", "康杰停水"}


def test_committee_members_see_their_communitys_notices(board, east_community, client):
    user = ensure_user("committee", PASSWORD, User.Role.COMMITTEE_MEMBER)
    committee = Committee.objects.create(community=east_community, name="临时管委会")
    CommitteeMember.objects.create(committee=committee, user=user)
    assert {n.title for n in notices.visible_to(user)} == {"全区停暖检修", "东城办事处通知", "康杰停水", "已结束",
                                                            "明天施工"}
