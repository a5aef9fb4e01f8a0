"""Community plans (一小区一方案): propose from the census, edit, fund, publish, approve; versions are kept."""

import datetime
import math
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gaizao.accounts import scope
from gaizao.catalog.models import QuantityRule, WorkItem
from gaizao.catalog.services import with_cost_on
from gaizao.communities.services import save_community
from gaizao.core import audit, clock
from gaizao.planning.models import CommunityPlan, FundingShare, PlanItem

# A 1:3 rectangle's perimeter is about 4.62 × √area; storeys are about 2.9 m; a stairwell has about 45 m² of
# wall per floor; a building needs about 60 m of each network outside it. Staff correct these per community.
PERIMETER_FACTOR = 4.62
STOREY_HEIGHT_M = 2.9
STAIRWELL_WALL_M2_PER_FLOOR = 45
PIPE_M_PER_BUILDING = 60
Status = CommunityPlan.Status


def census_quantities(community) -> dict[str, Decimal]:
    return quantities_for_buildings(list(community.buildings.all()))


def quantities_for_buildings(buildings) -> dict[str, Decimal]:
    """Each quantity rule's value for these buildings (anything with floors, households, area, units)."""
    facade = roof = stairwell = 0.0
    for b in buildings:
        footprint = float(b.floor_area_m2) / max(b.floors, 1)
        roof += footprint
        facade += PERIMETER_FACTOR * math.sqrt(footprint) * b.floors * STOREY_HEIGHT_M
        stairwell += max(b.stairwell_units, 1) * b.floors * STAIRWELL_WALL_M2_PER_FLOOR
    values = {
        QuantityRule.HOUSEHOLDS: sum(b.households for b in buildings),
        QuantityRule.FACADE_AREA: facade,
        QuantityRule.ROOF_AREA: roof,
        QuantityRule.STAIRWELL_AREA: stairwell,
        QuantityRule.FLOOR_AREA: sum(float(b.floor_area_m2) for b in buildings),
        QuantityRule.BUILDINGS: len(buildings),
        QuantityRule.STAIRWELL_UNITS: sum(b.stairwell_units for b in buildings),
        QuantityRule.PIPE_LENGTH: len(buildings) * PIPE_M_PER_BUILDING,
        QuantityRule.ONE: 1,
    }
    return {k: Decimal(str(v)).quantize(Decimal("1"), ROUND_HALF_UP) for k, v in values.items()}


def require_edit(actor, community) -> None:
    if actor is None:
        return
    if not actor.can_edit_census or not scope.covers(actor, community.subdistrict_id):
        raise PermissionDenied(_("You may not change this community's plan."))


def may_approve(user, community) -> bool:
    """Bureau staff of the community's district (the whole platform's: anywhere); an officer proposes only."""
    return bool(user.is_active and user.can_edit_census and scope.runs(user, community.subdistrict_id))


def require_approve(actor, community) -> None:
    if actor is not None and not may_approve(actor, community):
        raise PermissionDenied(_("Only bureau staff may approve a plan."))


def totals(plan) -> dict:
    items = list(plan.items.select_related("item"))
    basic = sum((i.cost for i in items if not i.item.after_basic), Decimal(0))
    upgrade = sum((i.cost for i in items if i.item.after_basic), Decimal(0))
    funded = sum((f.yuan for f in plan.funding.all()), Decimal(0))
    return {"total": basic + upgrade, "basic": basic, "upgrade": upgrade, "funded": funded,
            "unfunded": basic + upgrade - funded}


def _next_version(community) -> int:
    return (community.plans.aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def propose_plan(actor, community, *, cost_date: datetime.date | None = None) -> CommunityPlan:
    """A new draft with every catalog item whose quantity the census gives, at the costs in force."""
    require_edit(actor, community)
    cost_date = cost_date or clock.today()
    plan = CommunityPlan.objects.create(community=community, version=_next_version(community), cost_date=cost_date,
                                        created_by=actor if getattr(actor, "pk", None) else None)
    quantities = census_quantities(community)
    items = with_cost_on(WorkItem.objects.filter(active=True).exclude(quantity_rule=QuantityRule.NONE), cost_date)
    PlanItem.objects.bulk_create([
        PlanItem(plan=plan, item=item, quantity=quantities[item.quantity_rule], unit_cost=item.unit_cost)
        for item in items if item.unit_cost is not None and quantities[item.quantity_rule] > 0
    ])
    audit.record(actor, [audit.Change("create", plan, None, {"version": plan.version, "status": plan.status},
                                      parent=community)])
    return plan


def _require_draft(plan):
    if not plan.editable:
        raise ValidationError(_("Only a draft can be changed; make a new version to change this plan."))


@transaction.atomic
def update_plan(actor, plan, *, quantities: dict[int, Decimal | None], add_items=(), funding=None, note=None):
    """Set quantities (None or 0 removes the item), add catalog items, set the funding split."""
    require_edit(actor, plan.community)
    _require_draft(plan)
    before = _snapshot(plan)
    for plan_item in plan.items.all():
        if plan_item.item_id in quantities:
            quantity = quantities[plan_item.item_id]
            if not quantity:
                plan_item.delete()
            else:
                plan_item.quantity = quantity
                plan_item.full_clean()
                plan_item.save(update_fields=["quantity"])
    present = set(plan.items.values_list("item_id", flat=True))
    for item in with_cost_on(WorkItem.objects.filter(pk__in=[i for i in add_items if i not in present]),
                             plan.cost_date):
        if item.unit_cost is None:
            raise ValidationError(_("%(item)s has no unit cost on %(date)s.") % {"item": item.name,
                                                                                 "date": plan.cost_date})
        PlanItem.objects.create(plan=plan, item=item, quantity=1, unit_cost=item.unit_cost)
    if funding is not None:
        for source, yuan in funding.items():
            if yuan:
                FundingShare.objects.update_or_create(plan=plan, source=source, defaults={"yuan": yuan})
            else:
                FundingShare.objects.filter(plan=plan, source=source).delete()
    if note is not None:
        plan.note = note
        plan.save(update_fields=["note"])
    after = _snapshot(plan)
    if before != after:
        audit.record(actor, [audit.Change("update", plan, before, after, parent=plan.community)])
    return plan


def _snapshot(plan) -> dict:
    data = {f"item {i.item.code}": str(i.quantity) for i in plan.items.select_related("item")}
    data.update({f"funding {f.source}": str(f.yuan) for f in plan.funding.all()})
    data["status"] = plan.status
    return data


def _require_funded(plan):
    figures = totals(plan)
    if figures["total"] <= 0:
        raise ValidationError(_("The plan has no work items yet."))
    if figures["unfunded"] != 0:
        raise ValidationError(_("The funding (%(funded)s yuan) must add up to the cost (%(total)s yuan).")
                              % {"funded": figures["funded"], "total": figures["total"]})


@transaction.atomic
def publish(actor, plan):
    """Show the plan to the residents (问计); the funding must add up first."""
    require_edit(actor, plan.community)
    _require_draft(plan)
    _require_funded(plan)
    plan.status, plan.published_at = Status.PUBLISHED, timezone.now()
    plan.save(update_fields=["status", "published_at"])
    audit.record(actor, [audit.Change("update", plan, {"status": "draft"}, {"status": plan.status},
                                      parent=plan.community)])
    return plan


@transaction.atomic
def approve(actor, plan):
    """Approve a published plan; the earlier approved version is superseded and the community's investment
    estimate becomes this plan's total."""
    require_approve(actor, plan.community)
    if plan.status != Status.PUBLISHED:
        raise ValidationError(_("Publish the plan for residents before approving it."))
    _require_funded(plan)
    CommunityPlan.objects.filter(community=plan.community, status=Status.APPROVED).update(status=Status.SUPERSEDED)
    plan.status, plan.approved_at = Status.APPROVED, timezone.now()
    plan.save(update_fields=["status", "approved_at"])
    audit.record(actor, [audit.Change("update", plan, {"status": "published"}, {"status": plan.status},
                                      parent=plan.community)])
    community = plan.community
    community.investment_estimate = totals(plan)["total"]
    save_community(actor, community, reason=_("Plan version %(v)s approved") % {"v": plan.version})
    return plan


@transaction.atomic
def new_version(actor, plan) -> CommunityPlan:
    """A new draft copied from this plan (kept as it is), at the same prices."""
    require_edit(actor, plan.community)
    copy = CommunityPlan.objects.create(community=plan.community, version=_next_version(plan.community),
                                        cost_date=plan.cost_date, note=plan.note,
                                        created_by=actor if getattr(actor, "pk", None) else None)
    PlanItem.objects.bulk_create([PlanItem(plan=copy, item_id=i.item_id, quantity=i.quantity, unit_cost=i.unit_cost)
                                  for i in plan.items.all()])
    FundingShare.objects.bulk_create([FundingShare(plan=copy, source=f.source, yuan=f.yuan)
                                      for f in plan.funding.all()])
    audit.record(actor, [audit.Change("create", copy, None, {"version": copy.version, "from": plan.version},
                                      parent=plan.community)])
    return copy


NEEDS_ADDED = 5  # the residents' top needs "propose from needs" considers


def add_residents_needs(actor, plan, needs) -> list[str]:
    """Add the catalogue items among the residents' top needs that the draft lacks (quantity 1: to be set)."""
    if not needs:
        raise ValidationError(_("No needs survey with answers yet: ask the residents first."))
    present = set(plan.items.values_list("item__code", flat=True))
    wanted = [row["code"] for row in needs["rows"][:NEEDS_ADDED] if row["code"] not in present]
    items = list(WorkItem.objects.filter(code__in=wanted, active=True))
    update_plan(actor, plan, quantities={}, add_items=[i.pk for i in items])
    return [i.name for i in sorted(items, key=lambda i: wanted.index(i.code))]
