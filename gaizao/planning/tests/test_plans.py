from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gaizao.catalog.models import WorkItem
from gaizao.communities.models import Community
from gaizao.planning import plans
from gaizao.planning.models import CommunityPlan


def test_a_plan_is_proposed_from_the_census(east_community, bureau):
    plan = plans.propose_plan(bureau, east_community)
    quantities = {i.item.name: i.quantity for i in plan.items.select_related("item")}
    assert quantities["塑钢窗更换"] == 72  # one per household
    assert quantities["单元门更换"] == 2  # one per stairwell unit (1 each in the fixture)
    roof = Decimal(2800 / 4 + 3600 / 5).quantize(Decimal("1"))
    assert quantities["屋面防水"] == roof
    assert "加装电梯" not in quantities  # entered by hand
    assert plan.status == "draft" and plan.version == 1


def test_cost_is_quantity_times_unit_cost_and_funding_must_add_up(east_community, bureau):
    plan = plans.propose_plan(bureau, east_community)
    total = plans.totals(plan)["total"]
    assert total == sum(i.quantity * i.unit_cost for i in plan.items.all())
    with pytest.raises(ValidationError):
        plans.publish(bureau, plan)
    plans.update_plan(bureau, plan, quantities={}, funding={"central_subsidy": total - 1, "residents": Decimal(1)})
    plans.publish(bureau, plan)
    assert plan.status == "published"


def test_approval_sets_the_investment_estimate_and_keeps_versions(east_community, bureau):
    first = plans.propose_plan(bureau, east_community)
    total = plans.totals(first)["total"]
    plans.update_plan(bureau, first, quantities={}, funding={"local_budget": total})
    plans.publish(bureau, first)
    plans.approve(bureau, first)
    assert Community.objects.get(pk=east_community.pk).investment_estimate == total
    second = plans.new_version(bureau, first)
    elevator = WorkItem.objects.get(name="加装电梯")
    plans.update_plan(bureau, second, quantities={}, add_items=[elevator.pk])
    new_total = plans.totals(second)["total"]
    assert new_total == total + Decimal(600000)
    plans.update_plan(bureau, second, quantities={}, funding={"local_budget": total, "provident_fund": 600000})
    plans.publish(bureau, second)
    plans.approve(bureau, second)
    statuses = dict(CommunityPlan.objects.values_list("version", "status"))
    assert statuses == {1: "superseded", 2: "approved"}
    assert Community.objects.get(pk=east_community.pk).investment_estimate == new_total
    # Elevators and the smart-community item come after the basic work.
    assert plans.totals(second)["upgrade"] == 600000 + 300000


def test_only_drafts_change_and_only_bureau_approves(east_community, officer, bureau):
    plan = plans.propose_plan(officer, east_community)
    total = plans.totals(plan)["total"]
    plans.update_plan(officer, plan, quantities={}, funding={"local_budget": total})
    plans.publish(officer, plan)
    with pytest.raises(ValidationError):
        plans.update_plan(officer, plan, quantities={})
    with pytest.raises(PermissionDenied):
        plans.approve(officer, plan)
    plans.approve(bureau, plan)


def test_officer_cannot_plan_another_subdistrict(west_community, officer, client):
    with pytest.raises(PermissionDenied):
        plans.propose_plan(officer, west_community)
    client.force_login(officer)
    assert client.get(reverse("planning:community_plan", args=["XC001"])).status_code == 404


def test_plan_page_edits_quantities_and_shows_the_need_score(east_community, bureau, client):
    client.force_login(bureau)
    url = reverse("planning:community_plan_action", args=["DC001"])
    client.post(url, {"action": "propose"})
    plan = east_community.plans.get()
    windows = plan.items.get(item__name="塑钢窗更换")
    client.post(url, {"action": "save", "plan": plan.pk, f"qty_{windows.item_id}": "60", "fund_residents": "1000"})
    windows.refresh_from_db()
    assert windows.quantity == 60 and plan.funding.get().yuan == 1000
    response = client.post(url, {"action": "save", "plan": plan.pk, f"qty_{windows.item_id}": "六十"})
    assert response.status_code == 302
    windows.refresh_from_db()
    assert windows.quantity == 60  # a bad number changes nothing
    page = client.get(reverse("planning:community_plan", args=["DC001"])).content.decode()
    assert 'id="plan-items"' in page
