"""The figures kept between requests follow every change at once, not after their age limit."""

import datetime
from decimal import Decimal

from gaizao.core import stamps
from gaizao.core.models import Stamp
from gaizao.works import services
from gaizao.works.measures import ITEMS_STAMP, measures_on
from gaizao.works.tests.conftest import item

DAY = datetime.date(2021, 6, 1)


def planned(project):
    return next(p for p in measures_on(DAY).projects if p["id"] == project.pk)["planned_value"]


def test_a_plan_item_edited_after_the_figures_were_kept_shows_at_once(project, contractor):
    windows = item(project, "塑钢窗更换")
    services.record_progress(contractor, project, DAY, {windows.pk: Decimal(20)})
    before = planned(project)
    plan_item = windows.plan_item
    plan_item.quantity += 10
    plan_item.save()
    assert planned(project) == before + 10 * plan_item.unit_cost


def test_a_project_item_deleted_after_the_figures_were_kept_leaves_them_at_once(project):
    windows = item(project, "塑钢窗更换")
    before = planned(project)
    value = windows.plan_item.quantity * windows.plan_item.unit_cost
    windows.delete()
    assert planned(project) == before - value
    assert "JC02" not in {i["code"] for i in measures_on(DAY).items if i["planned"]}


def test_a_work_item_renamed_is_named_anew(project):
    windows = item(project, "塑钢窗更换")
    assert any(i["name"] == "塑钢窗更换" for i in measures_on(DAY).items)
    work_item = windows.plan_item.item
    work_item.name = "断桥铝窗更换"
    work_item.save()
    names = {i["name"] for i in measures_on(DAY).items}
    assert "断桥铝窗更换" in names and "塑钢窗更换" not in names


def test_stamps_count_each_change_and_start_at_zero(db):
    assert stamps.read("nothing.yet") == (0,)
    stamps.touch("test.key")
    stamps.touch("test.key")
    assert stamps.read("test.key", "nothing.yet") == (2, 0)
    assert Stamp.objects.get(key="test.key").value == 2
    assert ITEMS_STAMP.startswith("works.")
