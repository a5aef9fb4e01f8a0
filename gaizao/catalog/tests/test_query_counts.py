"""Pinned SQL counts: the work-item list (with the unit cost in force) costs the same for 3 items as for 9 more."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaizao.catalog.models import ContentGroup, Tier, Unit, UnitCost, WorkItem


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_items(start, stop):
    for n in range(start, stop):
        item = WorkItem.objects.create(code=f"QC{n:02d}", name=f"测试项目{n}", tier=Tier.BASIC,
                                       content_group=ContentGroup.EXTERIOR, unit=Unit.SQUARE_METRE)
        for year in (2020, 2021, 2022):
            UnitCost.objects.create(item=item, valid_from=datetime.date(year, 1, 1), yuan=Decimal(10 + n + year % 10))


@pytest.mark.parametrize("url", ["/api/work-items/?date=2021-06-01&tier=basic", "/api/work-items/", "/catalog/"])
def test_work_item_lists_do_not_grow_with_items(client, bureau, url):
    client.force_login(bureau)
    add_items(0, 3)
    few = queries(client, url)
    add_items(3, 12)
    assert queries(client, url) == few
