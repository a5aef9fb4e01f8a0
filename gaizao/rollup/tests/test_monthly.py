"""The national monthly report: figures from the data, subtotals that add up, zeros before anything started."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gaizao.regions.models import Area
from gaizao.rollup import monthly

pytestmark = pytest.mark.django_db


def _lines(month, area=None):
    from gaizao.accounts.scope import districts_under

    districts = districts_under(area) if area else Area.objects.filter(level=Area.Level.DISTRICT)
    return {(line.level, line.name): line.figures for line in monthly.report_lines(monthly.parse_month(month),
                                                                                   districts)}


def test_parse_month():
    assert monthly.parse_month("2021-11") == datetime.date(2021, 11, 30)
    assert monthly.parse_month("2024-02") == datetime.date(2024, 2, 29)
    assert monthly.parse_month("2021-12") == datetime.date(2021, 12, 31)
    for bad in ("2021-13", "202111", "", "next month"):
        with pytest.raises(monthly.MonthError, match="YYYY-MM"):
            monthly.parse_month(bad)


def test_figures_and_subtotals(province):
    lines = _lines("2021-11")
    yanhu, yongji, yaodu = (lines[("district", n)] for n in ("盐湖区", "永济市", "尧都区"))
    # 康杰 started 2021-05 (2 buildings, 72 households), not finished.
    assert (yanhu["communities_started_year"], yanhu["buildings_started_year"],
            yanhu["households_started_year"]) == (1, 2, 72)
    assert yanhu["communities_completed_total"] == 0
    # 电业局 started in 2020 and finished 2021-10-15.
    assert (yongji["communities_started_year"], yongji["communities_started_total"]) == (0, 1)
    assert (yongji["households_completed_year"], yongji["households_completed_total"]) == (48, 48)
    assert yaodu == dict.fromkeys(monthly.KEYS, 0) | {"investment_year": Decimal(0), "investment_total": Decimal(0)}
    assert yongji["investment_total"] > yongji["investment_year"] > 0  # part reported in 2020
    city = lines[("city", "运城市")]
    for key in monthly.KEYS:
        assert city[key] == yanhu[key] + yongji[key]
        assert lines[("province", "山西省")][key] == city[key] + lines[("city", "临汾市")][key]
        assert lines[("total", "合计")][key] == lines[("province", "山西省")][key] if ("total", "合计") in lines \
            else True


def test_a_month_before_anything_started_gives_zeros(province):
    for figures in _lines("2019-06").values():
        assert all(value == 0 for value in figures.values())


def test_an_area_limits_the_report(province):
    lines = _lines("2021-11", province["linfen"])
    assert {name for _level, name in lines} >= {"临汾市", "尧都区"}
    assert ("district", "盐湖区") not in lines


def test_command_writes_the_workbook(province, tmp_path):
    out = io.StringIO()
    path = tmp_path / "m.xlsx"
    call_command("monthly_report", "--month", "2021-11", "-o", str(path), stdout=out)
    assert "m.xlsx" in out.getvalue()
    sheet = openpyxl.load_workbook(path).active
    assert sheet.freeze_panes == "A2"
    names = [row[0].strip() for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names[:2] == ["合计", "山西省"] and "盐湖区" in names
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("monthly_report", "--month", "2021-1x", "-o", str(path))
    with pytest.raises(CommandError):
        call_command("monthly_report", "--month", "2021-11", "--area", "999999", "-o", str(path))


def test_page_and_download(province, city_leader, client):
    client.force_login(city_leader)
    assert client.get(reverse("rollup:monthly")).status_code == 200
    bad = client.get(reverse("rollup:monthly_export"), {"month": "2021-13"})
    assert bad.status_code == 400 and "2021-13" in bad.content.decode()
    good = client.get(reverse("rollup:monthly_export"), {"month": "2021-11"})
    assert good.status_code == 200
    names = [r[0].strip() for r in openpyxl.load_workbook(io.BytesIO(good.content)).active.iter_rows(
        min_row=2, values_only=True)]
    assert "尧都区" not in names and "盐湖区" in names  # the city's own districts only
    assert client.get(reverse("rollup:monthly_export"), {"month": "2021-11", "area": "141000"}).status_code == 404
