import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from gaizao.catalog.models import WorkItem
from gaizao.catalog.services import cost_on, set_cost, with_cost_on
from gaizao.catalog.sheet import catalog_workbook, import_catalog
from gaizao.core.excel import to_bytes


@pytest.fixture
def windows(db):
    return WorkItem.objects.get(name="塑钢窗更换")


def test_the_catalog_is_seeded_with_the_newspaper_items_and_three_tiers(db):
    names = set(WorkItem.objects.values_list("name", flat=True))
    assert {"塑钢窗更换", "外墙保温", "屋面防水", "污水管道改造", "加装电梯", "智慧社区", "社区养老服务用房"} <= names
    assert set(WorkItem.objects.values_list("tier", flat=True)) == {"basic", "improvement", "upgrade"}
    assert WorkItem.objects.get(name="加装电梯").after_basic


def test_the_cost_in_force_on_a_date_is_used(windows, bureau):
    set_cost(bureau, windows, datetime.date(2023, 1, 1), Decimal("5000"))
    assert cost_on(windows, datetime.date(2022, 12, 31)) == Decimal("4500")
    assert cost_on(windows, datetime.date(2023, 1, 1)) == Decimal("5000")
    assert cost_on(windows, datetime.date(2020, 1, 1)) is None
    item = with_cost_on(WorkItem.objects.filter(pk=windows.pk), datetime.date(2024, 6, 1)).get()
    assert item.unit_cost == Decimal("5000")


def test_export_then_import_changes_nothing(db, bureau):
    content = to_bytes(catalog_workbook(datetime.date(2022, 1, 1)))
    result = import_catalog(io.BytesIO(content), bureau)
    assert not result.errors and (result.created, result.updated, result.costs) == (0, 0, 0)


def test_import_adds_a_new_cost_and_rejects_a_bad_file_whole(db, bureau, windows):
    workbook = catalog_workbook(datetime.date(2022, 1, 1))
    sheet = workbook["改造内容"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "塑钢窗更换":
            row[5].value, row[6].value = 4800, "2024-01-01"
    good = to_bytes(workbook)
    sheet.append(["NEW1", "新项目", "基础类", "建筑外部修缮", "米", "很多", "2024-01-01"])
    bad = import_catalog(io.BytesIO(to_bytes(workbook)), bureau)
    assert [(e.row, e.column) for e in bad.errors] == [(sheet.max_row, "单价(元)")]
    assert cost_on(windows, datetime.date(2024, 6, 1)) == Decimal("4500")
    result = import_catalog(io.BytesIO(good), bureau)
    assert result.costs == 1 and cost_on(windows, datetime.date(2024, 6, 1)) == Decimal("4800")


def test_only_bureau_staff_edit_the_catalog(client, officer, bureau, windows):
    client.force_login(officer)
    assert client.get(reverse("catalog:list")).status_code == 200
    assert client.get(reverse("catalog:edit", args=[windows.code])).status_code == 403
    client.force_login(bureau)
    data = {"code": windows.code, "name": windows.name, "tier": windows.tier, "content_group": windows.content_group,
            "unit": windows.unit, "quantity_rule": windows.quantity_rule, "active": "on",
            "warranty_number": windows.warranty_number, "warranty_kind": windows.warranty_kind,
            "new_cost": "4700", "cost_from": "2025-01-01"}
    assert client.post(reverse("catalog:edit", args=[windows.code]), data).status_code == 302
    assert cost_on(windows, datetime.date(2025, 2, 1)) == Decimal("4700")
    assert windows.costs.count() == 2  # the old cost is kept for plans made before
