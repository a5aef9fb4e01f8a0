"""The figures kept between requests follow every change at once, not after their age limit."""

import datetime
from decimal import Decimal

from gaizao.aftercare.services import management_by_subdistrict
from gaizao.core import stamps
from gaizao.core.models import Stamp
from gaizao.works import services, structure
from gaizao.works.measures import measures_on
from gaizao.works.models import Acceptance
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


def test_a_stamp_changes_on_every_touch_and_reads_zero_before_the_first(db):
    assert stamps.read("nothing.yet") == (0,)
    seen = set()
    for _ in range(5):
        stamps.touch("test.key")
        seen.add(stamps.read("test.key")[0])
    assert len(seen) == 5 and 0 not in seen
    assert stamps.read("test.key", "nothing.yet")[1] == 0
    assert Stamp.objects.filter(key="test.key").count() == 1


def placed(project):
    return next(p for p in measures_on(DAY).projects if p["id"] == project.pk)


def test_a_project_renamed_or_moved_to_another_community_shows_at_once(project, rival_project, west_community):
    assert placed(project)["subdistrict"] == "东城办事处"
    project.name = "康杰中学家属院改造（一期）"
    project.save()
    assert placed(project)["name"] == "康杰中学家属院改造（一期）"
    project.communities.set([west_community])
    assert placed(project)["subdistrict"] == "西城办事处"
    assert {s["name"]: s["projects"] for s in measures_on(DAY).subdistricts}.get("西城办事处") == 2


def test_a_contractor_renamed_and_an_acceptance_recorded_show_at_once(project, builder):
    assert placed(project)["contractor"] == "中建交通建设集团"
    builder.name = "中建交通建设集团有限公司"
    builder.save()
    assert placed(project)["contractor"] == "中建交通建设集团有限公司"
    Acceptance.objects.create(project=project, date=datetime.date(2020, 12, 1))
    assert project.pk not in {p["id"] for p in measures_on(DAY).projects}  # accepted before the year: left
    assert management_by_subdistrict(DAY)["total"].accepted == 1


def test_progress_reports_do_not_change_the_projects_shape(project, contractor):
    windows = item(project, "塑钢窗更换")
    services.record_progress(contractor, project, DAY, {windows.pk: Decimal(5)})
    before = stamps.read(structure.STAMP)
    services.record_progress(contractor, project, DAY + datetime.timedelta(days=1), {windows.pk: Decimal(5)})
    services.record_progress(contractor, project, DAY + datetime.timedelta(days=2), {windows.pk: Decimal(5)})
    assert stamps.read(structure.STAMP) == before
    # An earlier start does change it, and shows.
    services.record_progress(contractor, project, DAY - datetime.timedelta(days=3), {windows.pk: Decimal(1)})
    assert stamps.read(structure.STAMP) != before
    assert placed(project)["actual_start"] == DAY - datetime.timedelta(days=3)
