"""Drill-down from the roll-up to a district's own pages: ?district=<code> on the summary, dashboard, bulletin
(page, Word, Excel) and the lagging list gives that district's figures, equal to its roll-up row."""

import pytest
from django.urls import reverse

from gaizao.rollup import services
from gaizao.rollup.tests.conftest import DAY

pytestmark = pytest.mark.django_db

PAGES = ("works:dashboard", "works:bulletin", "works:lagging", "works:bulletin_docx", "works:bulletin_xlsx",
         "works:dashboard_map", "reports:summary", "reports:summary_export")


def _rows_by_code(user, area):
    top = services.roll_up(user, area, DAY)
    return {row.code: row for row in services.rows_under(top)}


@pytest.mark.parametrize("who", ["bureau", "city_leader"])
def test_each_district_dashboard_equals_its_roll_up_row(province, bureau, city_leader, client, who):
    user = {"bureau": bureau, "city_leader": city_leader}[who]
    client.force_login(user)
    rows = _rows_by_code(user, province["yuncheng"])
    assert set(rows) == {"140802", "140881"}
    total = {"done_value": 0, "planned_value": 0, "projects": 0, "started": 0}
    for code, row in rows.items():
        for page in ("works:dashboard", "works:bulletin"):
            response = client.get(reverse(page), {"date": DAY.isoformat(), "district": code})
            assert response.status_code == 200
            figures = response.context["data"]["district"]
            assert figures["done_value"] == row.figures["done_value"], (page, code)
            assert figures["planned_value"] == row.figures["planned_value"], (page, code)
            assert (figures["started"], figures["projects"]) == (row.figures["started"], row.figures["projects"])
        for key in total:
            total[key] += figures[key]
    # The city's districts together are the city's dashboard when the city's leader chooses none.
    if who == "city_leader":
        whole = client.get(reverse("works:dashboard"), {"date": DAY.isoformat()}).context["data"]["district"]
        assert {key: whole[key] for key in total} == total


def test_the_page_names_the_district_and_keeps_it(province, city_leader, client):
    client.force_login(city_leader)
    page = client.get(reverse("works:bulletin"), {"date": DAY.isoformat(), "district": "140802"})
    html = page.content.decode()
    assert "<title>盐湖区 · " in html
    assert 'name="district"' in html  # the date form sends it again
    assert f"?date={DAY.isoformat()}&amp;district=140802" in html  # and the links to Word, Excel, dashboard
    assert "永济市" in html  # a city's leader sees two districts: a select offers the other one
    dashboard = client.get(reverse("works:dashboard"), {"date": DAY.isoformat(), "district": "140881"})
    assert "永济市 · " in dashboard.content.decode()
    word = client.get(reverse("works:bulletin_docx"), {"date": DAY.isoformat(), "district": "140802"})
    assert "%E7%9B%90%E6%B9%96%E5%8C%BA_" in word["Content-Disposition"]  # 盐湖区_进度通报_….docx
    summary = client.get(reverse("reports:summary"), {"district": "140881"})
    assert summary.context["summary"].total == 1 and "永济市 · " in summary.content.decode()


def test_the_summary_of_a_district_counts_its_communities_only(province, bureau, client):
    client.force_login(bureau)
    everything = client.get(reverse("reports:summary")).context["summary"].total
    yanhu = client.get(reverse("reports:summary"), {"district": "140802"}).context["summary"].total
    assert (everything, yanhu) == (3, 1)


def test_a_district_outside_the_users_area_is_not_found(province, city_leader, client):
    client.force_login(city_leader)
    for page in PAGES:
        response = client.get(reverse(page), {"date": DAY.isoformat(), "district": "141002"})  # 尧都区, 临汾市
        assert response.status_code == 404, page


def test_an_unknown_code_is_told(province, bureau, client):
    client.force_login(bureau)
    for page in PAGES:
        response = client.get(reverse(page), {"date": DAY.isoformat(), "district": "999999"},
                              headers={"accept-language": "en"})
        assert response.status_code == 400, page
        assert "No district has the code 999999" in response.content.decode(), page


def test_a_districts_summary_figures_open_its_own_communities(province, bureau, client):
    client.force_login(bureau)
    summary = client.get(reverse("reports:summary"), {"district": "140881"})
    html = summary.content.decode()
    assert f'href="{reverse("communities:list")}?district=140881"' in html
    assert f'href="{reverse("communities:list")}?eligible=true&amp;district=140881"' in html
    listed = client.get(reverse("communities:list"), {"district": "140881"})
    assert [c.code for c in listed.context["page"]] == ["YJ001"]
    assert "永济市" in listed.content.decode().split('id="district-filter"')[1][:300]
    api = client.get("/api/communities/", {"district": "140881"}).json()
    assert [c["code"] for c in api["results"]] == ["YJ001"]


def test_the_bulletin_command_writes_one_districts_bulletin(province, bureau, client, tmp_path):
    import io

    from django.core.management import CommandError, call_command
    from openpyxl import load_workbook

    call_command("bulletin", "--date", DAY.isoformat(), "--district", "140881", "--out", str(tmp_path),
                 stdout=io.StringIO())
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 and all(name.startswith("永济市_") for name in names)
    client.force_login(bureau)
    page = client.get(reverse("works:bulletin_xlsx"), {"date": DAY.isoformat(), "district": "140881"})
    on_page = load_workbook(io.BytesIO(page.content)).worksheets[0]
    from_cli = load_workbook(tmp_path / names[1]).worksheets[0]
    assert [r for r in from_cli.iter_rows(values_only=True)] == [r for r in on_page.iter_rows(values_only=True)]
    with pytest.raises(CommandError, match="140899"):
        call_command("bulletin", "--district", "140899", "--out", str(tmp_path))


def test_the_summary_of_a_district_is_the_same_on_the_page_the_api_and_the_command(province, bureau, client):
    import io
    import json

    from django.core.management import CommandError, call_command

    client.force_login(bureau)
    page = client.get(reverse("reports:summary"), {"district": "140881"}).context["summary"].as_json()
    api = client.get("/api/summary/", {"district": "140881"}).json()
    out = io.StringIO()
    call_command("summary", "--json", "--district", "140881", stdout=out)
    assert page == api == json.loads(out.getvalue())
    assert api["communities"]["total"] == 1
    assert client.get("/api/summary/", {"district": "149999"}).json()["communities"]["total"] == 0
    with pytest.raises(CommandError, match="149999"):
        call_command("summary", "--district", "149999")
