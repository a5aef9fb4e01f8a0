import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import make_community
from gaizao.reports.services import district_summary

TOP_KEYS = {"communities", "eligible", "by_subdistrict", "by_batch_year"}


@pytest.fixture
def census(dongcheng, xicheng, east_community, west_community):
    make_community(xicheng, "XC002", "新城小区", year_built=2006)
    make_community(dongcheng, "DC002", "电业局家属院", exclusion_reason="three_supplies")
    make_community(dongcheng, "DC003", "粮食局家属院", buildings=((6, 60, "5000"),), batch_year=2022)


def test_summary_counts_eligible_and_excluded_by_reason(census):
    doc = district_summary().as_json()
    assert set(doc) == TOP_KEYS
    assert doc["communities"] == {"total": 5, "eligible": 3, "excluded": 2,
                                  "excluded_by_reason": {"built_after_cutoff": 1, "three_supplies": 1}}


def test_investment_uses_the_estimate_else_area_times_the_district_cost(census):
    doc = district_summary().as_json()
    # DC001 has its own 3,000,000; XC001 has 4,200.5 m² and DC003 5,000 m² at the district's 600 yuan/m².
    assert doc["eligible"]["estimated_investment_yuan"] == pytest.approx(3_000_000 + 4200.5 * 600 + 5000 * 600)
    assert doc["eligible"]["households"] == 72 + 48 + 60
    assert doc["eligible"]["buildings"] == 4
    assert doc["eligible"]["floor_area_m2"] == pytest.approx(6400 + 4200.5 + 5000)


def test_subdistrict_rows_add_up_to_the_eligible_totals(census):
    doc = district_summary().as_json()
    rows = {row["name"]: row for row in doc["by_subdistrict"]}
    assert rows["东城办事处"]["communities"] == 3 and rows["东城办事处"]["eligible"] == 2
    for measure in ("buildings", "households", "floor_area_m2", "estimated_investment_yuan"):
        assert sum(r[measure] for r in doc["by_subdistrict"]) == pytest.approx(doc["eligible"][measure])


def test_batch_years_are_keyed_by_year(census):
    doc = district_summary().as_json()
    assert list(doc["by_batch_year"]) == ["2021", "2022"]
    assert doc["by_batch_year"]["2021"]["households"] == 72
    assert doc["by_batch_year"]["2021"]["estimated_investment_yuan"] == 3_000_000


def test_cli_json_and_api_give_the_same_document(census, client, bureau, capsys):
    call_command("summary", "--json")
    printed = json.loads(capsys.readouterr().out)
    client.force_login(bureau)
    assert client.get(reverse("api-summary")).json() == printed


def test_officer_summary_covers_only_their_subdistrict(census, client, officer):
    client.force_login(officer)
    doc = client.get(reverse("api-summary")).json()
    assert [row["name"] for row in doc["by_subdistrict"]] == ["东城办事处"]


def test_summary_page_and_excel_download(census, client, bureau):
    client.force_login(bureau)
    page = client.get(reverse("reports:summary")).content.decode()
    assert 'id="subdistrict-chart"' in page and "东城办事处" in page
    response = client.get(reverse("reports:summary_export"))
    assert response.content[:2] == b"PK"
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 4


def test_empty_database_gives_zero_summary(db):
    doc = district_summary().as_json()
    assert doc["communities"]["total"] == 0 and doc["by_subdistrict"] == [] and doc["by_batch_year"] == {}
    assert doc["eligible"]["estimated_investment_yuan"] == 0


def test_decimal_areas_do_not_drift(dongcheng):
    make_community(dongcheng, "D1", "甲", buildings=((5, 10, "0.01"),) * 3)
    assert district_summary().eligible["floor_area_m2"] == Decimal("0.03")


def test_the_kept_summary_follows_every_change_at_once(census, district):
    from gaizao.communities.models import Building, Community
    from gaizao.communities.services import refresh_eligibility_for_district

    first = district_summary()
    assert district_summary() is first  # kept while nothing changes
    building = Building.objects.filter(community__code="DC003").get()
    building.households += 4
    building.save()
    assert district_summary().eligible["households"] == first.eligible["households"] + 4
    # A change of the district's cut-off year, then the eligibility recomputed in bulk (no signal).
    settings = district.settings
    settings.cutoff_year = 2010
    settings.save()
    assert district_summary().eligible_count == 3  # the communities' own flags are not yet recomputed
    refresh_eligibility_for_district(district)
    assert district_summary().eligible_count == 4 == Community.objects.filter(is_eligible=True).count()
