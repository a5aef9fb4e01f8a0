from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import make_community
from gaizao.communities.models import Community
from gaizao.core.models import AuditEntry
from gaizao.planning import programme as programmes
from gaizao.planning.models import Assignment, Programme, ProgrammeYear, Scenario


@pytest.fixture
def demo(yanhu_demo):
    return Programme.objects.get()


def test_the_demo_2021_batch_is_implemented_in_2021_within_its_budget(demo):
    in_2021 = Assignment.objects.filter(programme=demo, year=2021)
    assert in_2021.count() == 49
    assert set(in_2021.values_list("community__batch_year", flat=True)) == {2021}
    assert set(in_2021.values_list("community__programme_status", flat=True)) == {"implementing"}
    cost = sum(a.cost_yuan for a in in_2021)
    assert cost == pytest.approx(Decimal(236_000_000), rel=Decimal("0.01"))
    assert cost <= ProgrammeYear.objects.get(programme=demo, year=2021).budget_yuan
    # Next year is 谋划, later years 储备.
    assert set(Community.objects.filter(batch_year=2022).values_list("programme_status", flat=True)) == {"planning"}
    assert set(Community.objects.filter(batch_year=2024).values_list("programme_status", flat=True)) == {"reserve"}


def test_every_year_stays_within_budget_and_capacity(demo):
    scenario = demo.scenarios.get(adopted=True)
    for row in demo.year_rows.all():
        year = scenario.result["years"][str(row.year)]
        assert year["cost_yuan"] <= float(row.budget_yuan) + 0.01
        assert year["households"] <= row.capacity_households


@pytest.fixture
def small_programme(district, dongcheng, xicheng):
    for n in range(6):
        make_community(dongcheng if n % 2 else xicheng, f"P{n}", f"小区{n}", year_built=1980 + n,
                       buildings=((5, 40 + 10 * n, "3000"),), investment_estimate=Decimal(2_000_000))
    programme = Programme.objects.create(name="测试计划", district=district, first_year=2022, last_year=2024,
                                         current_year=2022)
    for year in (2022, 2023, 2024):
        ProgrammeYear.objects.create(programme=programme, year=year, budget_yuan=Decimal(4_000_000))
    programmes.sync_assignments(programme)
    return programme


def run(programme, actor=None, inputs=None):
    scenario = Scenario.objects.create(programme=programme, name="run",
                                       inputs=inputs or programmes.default_inputs(programme))
    programmes.run_scenario(scenario.pk)
    scenario.refresh_from_db()
    return scenario


def test_pins_and_exclusions_hold(small_programme, bureau):
    low = small_programme.assignments.order_by("need_score").first()
    high = small_programme.assignments.order_by("-need_score").first()
    programmes.pin(bureau, low, year=2022)
    programmes.pin(bureau, high, year=None, excluded=True)
    scenario = run(small_programme)
    placements = scenario.result["placements"]
    assert placements[low.community.code]["year"] == 2022 and placements[low.community.code]["reason"] == "pinned"
    assert placements[high.community.code]["year"] is None


def test_pins_beyond_a_budget_say_which_year_and_by_how_much(small_programme, bureau):
    for assignment in small_programme.assignments.all()[:3]:
        programmes.pin(bureau, assignment, year=2023)
    scenario = run(small_programme)
    assert scenario.status == "failed"
    assert "2023" in scenario.message and "2,000,000" in scenario.message


def test_adopting_sets_status_and_batch_year_with_history(small_programme, bureau):
    scenario = run(small_programme)
    programmes.adopt(bureau, scenario)
    for assignment in small_programme.assignments.select_related("community"):
        assert assignment.community.batch_year == assignment.year
        assert assignment.community.programme_status == programmes.state_for(small_programme, assignment.year)
    assert AuditEntry.objects.filter(actor=bureau, after__has_key="batch_year").exists()


def test_board_run_and_adopt_through_the_pages(small_programme, client, bureau, django_capture_on_commit_callbacks):
    client.force_login(bureau)
    board = client.get(reverse("planning:board", args=[small_programme.pk]))
    assert board.status_code == 200 and 'id="board"' in board.content.decode()
    data = {"name": "预算增加", "upgrade_weight": "0.25"}
    for year in small_programme.years:
        data[f"budget_{year}"] = "600"  # 万元
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("planning:scenario_new", args=[small_programme.pk]), data)
    scenario = Scenario.objects.get(name="预算增加")
    assert response["Location"] == reverse("planning:scenario", args=[scenario.pk])
    assert scenario.status == "done" and scenario.inputs["budgets"]["2022"] == 6_000_000
    response = client.get(response["Location"])
    page = response.content.decode()
    assert 'id="explanations"' in page
    # the headline in one sentence, over a chart of communities and households starting per year
    years = scenario.result["years"]
    started = sum(bucket["households"] for bucket in years.values())
    assert response.context["headline"]["households"] == started and f"{started:,}" in page
    chart = response.context["chart"]
    assert chart["labels"] == [str(y) for y in small_programme.years]
    assert chart["households"]["data"] == [years[str(y)]["households"] for y in small_programme.years]
    client.post(reverse("planning:adopt", args=[scenario.pk]))
    assert small_programme.assignments.exclude(year=None).count() == 6
    compare = client.get(reverse("planning:compare", args=[small_programme.pk]))
    assert compare.status_code == 200


def test_officers_cannot_run_or_pin(small_programme, client, officer):
    client.force_login(officer)
    assert client.get(reverse("planning:scenario_new", args=[small_programme.pk])).status_code == 403
    assignment = small_programme.assignments.first()
    response = client.post(reverse("planning:pin", args=[small_programme.pk]),
                           {"assignment": assignment.pk, "pin": "2022"})
    assert response.status_code == 403
    assert Assignment.objects.get(pk=assignment.pk).pinned_year is None


def test_api_lists_programme_assignments_in_scope(small_programme, client, officer):
    client.force_login(officer)
    body = client.get("/api/assignments/", {"programme": small_programme.pk}).json()
    codes = {row["community"] for row in body["results"]}
    assert codes and all(Community.objects.get(code=c).subdistrict == officer.subdistrict for c in codes)
    assert client.get("/api/work-items/", {"tier": "upgrade"}).json()["count"] == 4


def test_a_what_if_run_keeps_the_programmes_capacities(small_programme, client, bureau,
                                                       django_capture_on_commit_callbacks):
    row = small_programme.year_rows.get(year=2022)
    row.capacity_communities = 1
    row.save()
    client.force_login(bureau)
    form = client.get(reverse("planning:scenario_new", args=[small_programme.pk])).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data["name"] = "保持上限"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("planning:scenario_new", args=[small_programme.pk]), data)
    scenario = Scenario.objects.get(name="保持上限")
    assert scenario.inputs["capacity_communities"] == {"2022": 1}
    assert len(scenario.result["years"]["2022"]["communities"]) <= 1


def test_the_board_exports_the_programme_to_excel(small_programme, client, bureau, officer, dongcheng):
    import io

    from openpyxl import load_workbook

    programmes.adopt(bureau, run(small_programme))
    client.force_login(bureau)
    url = reverse("planning:board", args=[small_programme.pk])
    assert 'id="export-xlsx"' in client.get(url).content.decode()
    response = client.get(url, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:4] == ("年度", "状态", "小区编码", "小区")
    assert len(rows) == 6 and [r[0] for r in rows] == sorted(r[0] for r in rows)  # by year
    assert {r[2] for r in rows} == {f"P{n}" for n in range(6)}
    assert {r[1] for r in rows if r[0] == 2022} == {"实施"}
    # An officer's export holds only their sub-district; a bad sub-district filter is ignored, not a 500.
    client.force_login(officer)
    mine = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx", "subdistrict": "x"}).content)).active
    assert {r[4] for r in list(mine.iter_rows(values_only=True))[1:]} == {dongcheng.name}


def test_the_programme_is_for_those_who_plan_it(small_programme, client, officer):
    from gaizao.accounts.models import User
    from gaizao.accounts.services import ensure_user

    contractor = ensure_user("site", "x-pass-2021", User.Role.CONTRACTOR)
    member = ensure_user("weiyuan", "x-pass-2021", User.Role.COMMITTEE_MEMBER)
    urls = [reverse("planning:list"), reverse("planning:board", args=[small_programme.pk]),
            reverse("planning:compare", args=[small_programme.pk])]
    for user in (contractor, member):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [403, 403, 403]
        nav = client.get(reverse("feedback:list")).content.decode().split('id="nav"')[1].split("</ul>")[0]
        assert reverse("planning:list") not in nav and reverse("reports:summary") not in nav
    client.force_login(officer)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    # Odd scenario ids in the comparison are ignored, not a server error.
    assert client.get(urls[2], {"a": "abc", "b": "99999999999999999999"}).status_code == 200
