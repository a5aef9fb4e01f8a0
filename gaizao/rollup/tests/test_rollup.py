"""The roll-up's figures add up exactly at every level, and each level's staff see only theirs."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import PASSWORD
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.regions.models import Area
from gaizao.rollup import services
from gaizao.rollup.tests.conftest import DAY, additive_sum

pytestmark = pytest.mark.django_db


def test_districts_add_up_to_city_and_province(province, bureau):
    top = services.roll_up(bureau, province["province"], DAY)
    assert [c.name for c in top.children] == ["运城市", "临汾市"]
    for level_row in [top, *top.children]:
        assert additive_sum(level_row.children) == level_row.figures
    # Each district opened on its own gives the very figures it has inside the province.
    inside = {d.code: d.figures for city in top.children for d in city.children}
    for key in ("yanhu", "yongji", "yaodu"):
        alone = services.roll_up(bureau, province[key], DAY)
        assert alone.figures == inside[province[key].code]
        assert additive_sum(alone.children) == alone.figures
    city = services.roll_up(bureau, province["yuncheng"], DAY)
    assert city.figures == top.children[0].figures


def test_figures_on_the_fixture(province, bureau):
    top = services.roll_up(bureau, province["province"], DAY)
    f = top.figures
    assert (f["projects"], f["started"], f["completed"]) == (3, 2, 1)
    assert f["households"] == 72 + 48  # 康杰 and 电业局 started; 棉麻 not
    yanhu = next(d for d in top.children[0].children if d.name == "盐湖区")
    assert yanhu.values["target_share"] == pytest.approx(0.8)  # its milestone
    assert yanhu.figures["done_value"] > 0 and yanhu.values["share"] < 1
    assert f["done_value"] == sum((d.figures["done_value"] for c in top.children for d in c.children), Decimal(0))
    assert top.figures["feedback_overdue"] == 0


def test_a_day_before_anything_gives_zero_progress(province, bureau):
    top = services.roll_up(bureau, province["province"], datetime.date(2020, 1, 1))
    assert top.figures["done_value"] == 0 and top.figures["started"] == 0


def test_city_leader_sees_only_the_city_and_reads_only(province, city_leader, client):
    assert not city_leader.sees_whole_district and not city_leader.can_edit_census
    assert not city_leader.works_on_programme
    from gaizao.communities.models import Community
    from gaizao.works.access import projects_visible_to

    assert set(Community.objects.visible_to(city_leader).values_list("code", flat=True)) == {"YH001", "YJ001"}
    assert set(projects_visible_to(city_leader).values_list("code", flat=True)) == {"P1", "P2"}
    client.force_login(city_leader)
    response = client.get(reverse("rollup:index"))
    assert response.status_code == 302 and response.url == reverse("rollup:area", args=["140800"])
    page = client.get(reverse("rollup:area", args=["140800"]))
    assert page.status_code == 200
    assert [r.name for r in page.context["rows"]] == ["盐湖区", "永济市"] or \
        sorted(r.name for r in page.context["rows"]) == ["永济市", "盐湖区"]
    assert client.get(reverse("rollup:area", args=["141000"])).status_code == 404  # another city
    assert client.get(reverse("rollup:area", args=["140000"])).status_code == 404  # the province above
    assert client.get(reverse("rollup:area", args=["140802"])).status_code == 200  # drill down
    assert client.get(reverse("communities:edit", args=["YH001"])).status_code in (403, 404)


def test_province_leader_sees_every_city(province, province_leader, client):
    client.force_login(province_leader)
    page = client.get(reverse("rollup:area", args=["140000"]))
    assert page.status_code == 200
    assert [r.level for r in page.context["rows"]].count("city") == 2
    assert len(page.context["chart"]["labels"]) == 3


def test_other_roles_have_no_rollup(province, client):
    officer = ensure_user("officer", PASSWORD, User.Role.SUBDISTRICT_OFFICER,
                          subdistrict=Area.objects.get(code="140802001"))
    client.force_login(officer)
    assert client.get(reverse("rollup:index")).status_code == 403


def test_area_only_for_a_leader(province):
    from django.core.exceptions import ValidationError

    user = ensure_user("x", PASSWORD, User.Role.LEADER)
    user.role, user.area = User.Role.BUREAU, province["yuncheng"]
    with pytest.raises(ValidationError):
        user.full_clean()


def test_page_export_and_bad_date(province, bureau, client):
    client.force_login(bureau)
    page = client.get(reverse("rollup:area", args=["140000"]), {"date": "2021-13-01"})
    assert page.status_code == 400 and "YYYY-MM-DD" in page.content.decode()
    later = client.get(reverse("rollup:area", args=["140000"]), {"date": "2999-01-01"})
    assert later.status_code == 200 and later.context["date_note"]
    export = client.get(reverse("rollup:area_export", args=["140000"]), {"date": "2021-11-25"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_query_count_does_not_grow_with_districts(province, bureau, django_assert_max_num_queries):
    services.roll_up(bureau, province["province"], DAY)
    with django_assert_max_num_queries(25):
        services.roll_up(bureau, province["province"], DAY)


def test_satisfaction_counts_the_answers_given_by_the_day(province, bureau, settings):
    """A roll-up as of an earlier day does not count an answer given later (one truth on each day)."""
    from django.utils import timezone

    from gaizao.households.models import Household
    from gaizao.surveys import services as surveys
    from gaizao.surveys.models import Survey

    project = province["projects"][1]  # finished in October
    type(project).objects.filter(pk=project.pk).update(status="completed")
    project.refresh_from_db()
    community = project.communities.get()
    home = Household.objects.create(building=community.buildings.first(), stairwell_unit="1", room="101",
                                    exclusive_area_m2=Decimal("60"))
    opens = timezone.make_aware(datetime.datetime(2021, 11, 1, 9))
    survey = surveys.create_survey(community, Survey.Kind.SATISFACTION, "满意度测评", opens,
                                   opens + datetime.timedelta(days=60), project=project)
    answers = {q: "satisfied" for q in surveys.QUESTION_KEYS}
    surveys.submit_response(survey, home, answers, now=timezone.make_aware(datetime.datetime(2021, 11, 20, 10)))
    on_the_day = services.roll_up(bureau, province["province"], datetime.date(2021, 11, 20)).figures
    before = services.roll_up(bureau, province["province"], datetime.date(2021, 11, 19)).figures
    assert (on_the_day["responses"], on_the_day["satisfied"]) == (1, 1)
    assert (before["responses"], before["satisfied"]) == (0, 0)
