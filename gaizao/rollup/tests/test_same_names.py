"""Every district has its 东城办事处: pages that cover several districts must keep them apart."""

import datetime

from gaizao.works.bulletin import bulletin_data
from gaizao.works.measures import forecasts, measures_on
from gaizao.works.models import Milestone, Project

DAY = datetime.date(2021, 11, 25)


def test_subdistricts_of_the_same_name_in_two_districts_stay_apart(province):
    yongji_sub = province["yongji"].children.get()
    yongji_sub.name = "东城办事处"  # as 盐湖区's
    yongji_sub.save()
    names = [s["name"] for s in measures_on(DAY, Project.objects.all()).subdistricts]
    assert sorted(names) == sorted(["盐湖区 东城办事处", "永济市 东城办事处", "尧都区 水塔街道"])


def test_a_bulletin_over_several_districts_ranks_them_each_as_its_own_bulletin(province):
    milestone = Milestone.objects.get()
    data = bulletin_data(DAY, Project.objects.all(), milestone)
    assert data["level"] == "district"
    rows = {row["name"]: row for row in data["subdistricts"]}
    assert set(rows) == {"盐湖区", "永济市", "尧都区"}
    assert [row["rank"] for row in data["subdistricts"]] == [1, 2, 3]
    found = {f.project["code"]: f for f in forecasts(DAY, milestone, Project.objects.all())}
    for name, code in (("盐湖区", "P1"), ("永济市", "P2")):
        forecast = found[code]
        assert rows[name]["forecast_share"] == float(forecast.forecast_value / forecast.project["planned_value"])
    # Each district's row is what its own bulletin says of it.
    for key in ("yanhu", "yongji", "yaodu"):
        own = bulletin_data(DAY, Project.objects.filter(communities__subdistrict__parent=province[key]), milestone)
        assert own["level"] == "subdistrict"
        row = rows[province[key].name]
        for figure in ("projects", "started", "planned_value", "done_value", "feedback_open", "feedback_overdue"):
            assert row[figure] == own["district"][figure], (key, figure)


def test_within_one_district_a_subdistrict_keeps_its_own_name(province):
    yanhu = Project.objects.filter(communities__subdistrict__parent=province["yanhu"])
    assert [s["name"] for s in measures_on(DAY, yanhu).subdistricts] == ["东城办事处"]


def test_the_project_lists_figures_are_the_measures_of_its_scope(province):
    from gaizao.works.measures import project_values

    for projects in (Project.objects.all(), Project.objects.filter(code="P1")):
        measured = {p["id"]: p for p in measures_on(DAY, projects).projects}
        ids = [p.pk for p in projects.order_by("code")]
        values = project_values(DAY, projects, ids)
        assert set(values) == set(measured)
        for pk, found in values.items():
            assert found == {k: measured[pk][k] for k in ("planned_value", "done_value", "share", "subdistrict")}
    assert project_values(DAY, Project.objects.all(), [province["projects"][0].pk])[
        province["projects"][0].pk]["subdistrict"] == "盐湖区 东城办事处"


def test_the_summary_names_subdistricts_with_their_district_beyond_one(province):
    from gaizao.communities.models import Community
    from gaizao.reports.services import district_summary

    wide = [row["name"] for row in district_summary(Community.objects.all()).by_subdistrict]
    assert wide == ["盐湖区 东城办事处", "永济市 城西街道", "尧都区 水塔街道"]
    one = district_summary(Community.objects.filter(subdistrict__parent=province["yanhu"]))
    assert [row["name"] for row in one.by_subdistrict] == ["东城办事处"]


def test_a_bulletin_over_several_districts_is_titled_with_the_area_holding_them(province):
    yuncheng = Project.objects.filter(communities__subdistrict__parent__parent=province["yuncheng"])
    assert bulletin_data(DAY, yuncheng)["title"].startswith("运城市")
    assert bulletin_data(DAY, Project.objects.all())["title"].startswith("山西省")
    yanhu = Project.objects.filter(communities__subdistrict__parent=province["yanhu"])
    assert bulletin_data(DAY, yanhu)["title"].startswith("盐湖区")


def test_a_summary_over_several_districts_shows_them_each_as_its_own_summary(province, city_leader, client):
    from django.urls import reverse

    from gaizao.communities.models import Community
    from gaizao.reports.services import district_summary

    client.force_login(city_leader)
    page = client.get(reverse("reports:summary"))
    rows = {row["name"]: row for row in page.context["summary"].by_district}
    assert set(rows) == {"盐湖区", "永济市"}  # 运城市's two districts
    html = page.content.decode()
    assert 'id="by-district"' in html and 'id="by-subdistrict"' not in html
    assert 'href="?district=140802"' in html
    for key in ("yanhu", "yongji"):
        own = district_summary(Community.objects.filter(subdistrict__parent=province[key]))
        assert own.by_district == []  # one district: its sub-districts
        row = rows[province[key].name]
        assert (row["communities"], row["eligible"], row["households"], row["estimated_investment_yuan"]) == (
            own.total, own.eligible_count, own.eligible["households"], own.eligible["estimated_investment_yuan"])
    chosen = client.get(reverse("reports:summary"), {"district": "140802"}).content.decode()
    assert 'id="by-subdistrict"' in chosen and 'id="by-district"' not in chosen
