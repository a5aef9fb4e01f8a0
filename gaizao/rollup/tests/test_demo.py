"""The Yanhu demo has 山西省 → 运城市 → 盐湖区 and a city leader whose roll-up agrees with the district's bulletin."""

import datetime

from django.test import Client
from django.urls import reverse

from gaizao.accounts.models import User
from gaizao.regions.models import Area
from gaizao.rollup import monthly, services
from gaizao.works.access import projects_visible_to
from gaizao.works.measures import measures_on

DAY = datetime.date(2021, 11, 25)


def test_the_demo_city_leader_sees_the_district_as_the_bulletin_does(yanhu_demo):
    assert "yuncheng" in yanhu_demo
    city = Area.objects.get(code="140800")
    assert city.parent.code == "140000" and city.parent.level == Area.Level.PROVINCE
    leader = User.objects.get(username="yuncheng")
    top = services.roll_up(leader, city.parent, DAY)
    bureau = User.objects.get(username="bureau")
    district = measures_on(DAY, projects_visible_to(bureau)).district
    assert top.figures["done_value"] == district["done_value"]
    assert top.figures["planned_value"] == district["planned_value"]
    assert (top.figures["projects"], top.figures["started"]) == (district["projects"], district["started"])
    client = Client()
    client.force_login(leader)
    page = client.get(reverse("rollup:area", args=["140800"]))
    assert page.status_code == 200 and "盐湖区" in page.content.decode()
    lines = monthly.report_lines(monthly.parse_month("2021-11"), Area.objects.filter(code="140802"))
    assert lines[0].figures["communities_started_year"] > 0
