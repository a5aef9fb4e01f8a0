"""Warranty periods on the catalogue (建设工程质量管理条例 art. 40) and when they end."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation

from gaizao.catalog.models import WarrantyKind, WorkItem
from gaizao.catalog.seed import default_warranty
from gaizao.catalog.sheet import catalog_workbook, import_catalog
from gaizao.catalog.warranty import period_text, warranty_end, within
from gaizao.core.excel import to_bytes

D = datetime.date
YEARS, SEASONS = WarrantyKind.YEARS, WarrantyKind.HEATING_SEASONS


def _period(name):
    item = WorkItem.objects.get(name=name)
    return item.warranty_kind, item.warranty_number


def test_the_catalogue_carries_art_40s_periods(db):
    assert _period("屋面防水") == (YEARS, 5)
    assert _period("外墙保温") == (YEARS, 5)
    assert _period("供暖管网改造") == (SEASONS, 2)
    for name in ("强弱电管沟及线路入地", "供水管网改造", "污水管道改造", "雨污分流", "消防设施", "加装电梯",
                 "楼梯间涂料粉刷", "塑钢窗更换"):
        assert _period(name) == (YEARS, 2), name
    assert _period("楼体基础梁加固") == (YEARS, 50)  # main structure: the design life


def test_a_districts_own_item_is_matched_by_its_name():
    assert default_warranty("X01", "卫生间防水") == (YEARS, 5)
    assert default_warranty("X02", "楼内暖气立管更换") == (SEASONS, 2)
    assert default_warranty("X03", "信报箱更换") == (YEARS, 2)


def test_years_end_on_the_same_day_years_later():
    assert warranty_end(YEARS, 5, D(2019, 10, 18)) == D(2024, 10, 18)
    assert warranty_end(YEARS, 2, D(2020, 2, 29)) == D(2022, 2, 28)


@pytest.mark.parametrize("accepted, end", [
    (D(2021, 6, 1), D(2023, 3, 15)),  # seasons 2021-22 and 2022-23
    (D(2021, 11, 15), D(2023, 3, 15)),  # a season starting on the acceptance day counts
    (D(2021, 11, 16), D(2024, 3, 15)),  # accepted during a season: that one is not counted
    (D(2022, 1, 10), D(2024, 3, 15)),  # winter after new year: the next season is the first
    (D(2022, 3, 20), D(2024, 3, 15)),
])
def test_heating_seasons_end_with_the_second_season_after_acceptance(accepted, end):
    assert warranty_end(SEASONS, 2, accepted) == end


def test_the_end_day_is_still_within(db):
    roof = WorkItem.objects.get(name="屋面防水")
    assert within(roof, D(2019, 10, 18), D(2024, 10, 18))
    assert not within(roof, D(2019, 10, 18), D(2024, 10, 19))
    assert not within(roof, None, D(2020, 1, 1))


def test_period_in_words():
    with translation.override("en"):
        assert period_text(YEARS, 5) == "5 years"
        assert period_text(YEARS, 1) == "1 year"
        assert period_text(SEASONS, 2) == "2 heating seasons"


def test_bureau_staff_change_a_period_and_the_list_shows_it(client, bureau, db):
    greening = WorkItem.objects.get(name="绿化提升")
    data = {"code": greening.code, "name": greening.name, "tier": greening.tier,
            "content_group": greening.content_group, "unit": greening.unit, "quantity_rule": greening.quantity_rule,
            "active": "on", "warranty_number": "1", "warranty_kind": "years"}
    client.force_login(bureau)
    assert client.post(reverse("catalog:edit", args=[greening.code]), data).status_code == 302
    greening.refresh_from_db()
    assert (greening.warranty_kind, greening.warranty_number) == (YEARS, 1)
    page = client.get(reverse("catalog:list"), headers={"accept-language": "en"}).content.decode()
    assert 'data-warranty="years:1">1 year<' in page
    assert 'data-warranty="heating_seasons:2">2 heating seasons<' in page


def test_a_period_out_of_range_is_refused_and_kept_in_the_form(client, bureau, db):
    roof = WorkItem.objects.get(name="屋面防水")
    data = {"code": roof.code, "name": roof.name, "tier": roof.tier, "content_group": roof.content_group,
            "unit": roof.unit, "quantity_rule": roof.quantity_rule, "active": "on", "warranty_number": "0",
            "warranty_kind": "years"}
    client.force_login(bureau)
    response = client.post(reverse("catalog:edit", args=[roof.code]), data)
    assert response.status_code == 200
    assert 'value="0"' in response.content.decode()
    roof.refresh_from_db()
    assert roof.warranty_number == 5


def test_the_workbook_carries_the_period_and_imports_a_change(db, bureau):
    workbook = catalog_workbook(D(2022, 1, 1))
    sheet = workbook["改造内容"]
    header = [cell.value for cell in sheet[1]]
    number, kind = header.index("保修期"), header.index("保修期单位")
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "供暖管网改造":
            assert (row[number].value, row[kind].value) == (2, "采暖期")
            row[number].value = 3
    result = import_catalog(io.BytesIO(to_bytes(workbook)), bureau)
    assert not result.errors and result.updated == 1
    assert _period("供暖管网改造") == (SEASONS, 3)
