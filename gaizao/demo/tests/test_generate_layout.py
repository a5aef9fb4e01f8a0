"""`gaizao generate_data --provinces --cities --districts`: a region tree the roll-up and the monthly report can rank.

Small sizes (40 communities over 8 districts) on SQLite and PostgreSQL; the 50,000-community run is bench/pages.py.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from gaizao.accounts import scope
from gaizao.accounts.models import User
from gaizao.communities.models import Community
from gaizao.demo.synthetic.works import REPORT_DAY
from gaizao.planning.models import Programme
from gaizao.regions.models import Area, DistrictSettings
from gaizao.rollup import monthly, services
from gaizao.rollup.tests.conftest import additive_sum
from gaizao.works.measures import of_the_year
from gaizao.works.models import Milestone, Project

pytestmark = pytest.mark.django_db
PREFIX = "91"  # the first province's code: 910000, then 920000


def generate(*args) -> str:
    out = StringIO()
    call_command("generate_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def tree(django_db_setup, django_db_blocker):
    """Two provinces of two cities of two districts each, generated once for the module."""
    with django_db_blocker.unblock():
        output = generate("--communities", "40", "--seed", "5", "--prefix", PREFIX, "--progress-lines", "800",
                          "--provinces", "2", "--cities", "2", "--districts", "2")
    yield output
    with django_db_blocker.unblock():
        call_command("flush", "--no-input", verbosity=0)


def test_the_tree_has_valid_levels_and_codes(tree):
    provinces = Area.objects.filter(level=Area.Level.PROVINCE).order_by("code")
    assert [p.code for p in provinces] == ["910000", "920000"]
    assert all(p.parent_id is None for p in provinces)
    levels = [(Area.Level.CITY, 4, 2), (Area.Level.DISTRICT, 8, 4), (Area.Level.SUBDISTRICT, 56, 6)]
    for level, count, parent_digits in levels:
        areas = Area.objects.filter(level=level).select_related("parent")
        assert areas.count() == count, level
        for area in areas:
            assert area.parent.level == Area.PARENT_LEVEL[level]
            # A code starts with its parent's meaningful digits (province PP, city PPCC, district PPCCDD).
            assert area.code.startswith(area.parent.code[:parent_digits]) and area.code != area.parent.code
    for area in Area.objects.exclude(level=Area.Level.SUBDISTRICT):
        area.full_clean()


def test_every_district_has_its_communities_programme_milestone_and_bureau(tree):
    districts = Area.objects.filter(level=Area.Level.DISTRICT)
    per_district = dict(Community.objects.values_list("subdistrict__parent").annotate(n=Count("pk")))
    assert set(per_district) == set(districts.values_list("pk", flat=True))
    assert sum(per_district.values()) == 40 and min(per_district.values()) == 5  # spread evenly
    for district in districts:
        assert Programme.objects.filter(district=district).count() == 1
        assert Milestone.objects.filter(area=district).exists()
        assert DistrictSettings.objects.filter(district=district).exists()
        bureau = User.objects.get(username=f"bureau-{district.code}")
        assert bureau.role == User.Role.BUREAU and bureau.area == district
        assert set(scope.districts_for(bureau)) == {district}
    assert "provinces                    2" in tree


def test_province_and_city_leaders_are_scoped(tree):
    province = Area.objects.get(code="910000")
    city = Area.objects.get(code="920100")
    leader = User.objects.get(username="leader-910000")
    assert leader.role == User.Role.LEADER and leader.area == province and leader.check_password("gaizao-demo-2021")
    seen = set(scope.districts_for(leader).values_list("code", flat=True))
    assert seen == {"910101", "910102", "910201", "910202"}
    city_leader = User.objects.get(username="leader-920100", area=city)
    assert set(scope.districts_for(city_leader).values_list("code", flat=True)) == {"920101", "920102"}
    assert not Community.objects.visible_to(city_leader).exclude(subdistrict__parent__parent=city).exists()


def test_rollup_adds_up_over_the_generated_districts(tree, client):
    bureau = User.objects.get(username="bureau")
    tops = []
    for province in Area.objects.filter(level=Area.Level.PROVINCE):
        top = services.roll_up(bureau, province, REPORT_DAY)
        assert len(top.children) == 2 and all(len(city.children) == 2 for city in top.children)
        for row in [top, *top.children]:
            assert additive_sum(row.children) == row.figures
        for city in top.children:
            for district in city.children:
                alone = services.roll_up(bureau, Area.objects.get(pk=district.area_id), REPORT_DAY)
                assert alone.figures == district.figures and additive_sum(alone.children) == alone.figures
        # The province leader gets the very figures the bureau does.
        assert services.roll_up(User.objects.get(username=f"leader-{province.code}"), province,
                                REPORT_DAY).figures == top.figures
        tops.append(top)
    both = additive_sum(tops)
    assert both["projects"] == of_the_year(Project.objects.all(), REPORT_DAY).count() > 0
    assert both["done_value"] > 0 and both["started"] > 0
    client.force_login(User.objects.get(username="leader-910000"))
    assert client.get("/rollup/910000/").status_code == 200
    assert client.get("/rollup/920000/").status_code == 404  # not theirs


def test_monthly_report_ranks_every_generated_district(tree):
    month_end = monthly.parse_month(f"{REPORT_DAY:%Y-%m}")
    lines = monthly.report_lines(month_end, Area.objects.filter(level=Area.Level.DISTRICT))
    districts = [line for line in lines if line.level == Area.Level.DISTRICT]
    assert len(districts) == 8 and [line.level for line in lines[:3]] == ["total", "province", "city"]
    for key in monthly.KEYS:
        assert lines[0].figures[key] == sum(line.figures[key] for line in districts), key
    started = Community.objects.filter(projects__actual_start__lte=month_end).distinct().count()
    assert lines[0].figures["communities_started_total"] == started > 0


@pytest.mark.parametrize(("args", "message"), [
    (["--provinces", "5", "--prefix", "99"], "11.*95"),  # the numbers, in whichever language the message is
    (["--communities", "3", "--cities", "2", "--districts", "2"], "3.*4"),
    (["--cities", "0"], "--cities"),
    (["--districts", "0"], "--districts"),
    (["--provinces", "-1"], "--provinces"),
    (["--provinces", "1", "--cities", "100", "--districts", "1", "--communities", "200"], "99"),
])
def test_a_bad_combination_is_refused_with_a_message(args, message):
    options = ["--communities", "20", *args] if "--communities" not in args else args
    areas = Area.objects.count()
    with pytest.raises(CommandError, match=message):
        generate(*options)
    assert Area.objects.count() == areas


def test_the_default_is_one_city_as_before():
    generate("--communities", "12", "--prefix", "93", "--progress-lines", "100")
    city = Area.objects.get(code="930000")
    assert city.level == Area.Level.CITY and city.parent_id is None
    assert list(city.children.values_list("code", flat=True)) == ["930001"]
    assert User.objects.get(username="leader-930000").area == city
