"""The demo's approved community plans: each community of the 2021 batch gets a plan whose total is its census
investment estimate, so the district summary keeps the published 236 M yuan."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from gaizao.catalog.models import QuantityRule, WorkItem
from gaizao.catalog.services import with_cost_on
from gaizao.planning import plans
from gaizao.planning.models import CommunityPlan, FundingSource

COST_DATE = datetime.date(2021, 3, 1)
FUNDING = [(FundingSource.CENTRAL_SUBSIDY, Decimal("0.6")), (FundingSource.PROVINCIAL_BUDGET, Decimal("0.2"))]
FUNDING_REST = FundingSource.LOCAL_BUDGET
ONE = Decimal(1)
CENT = Decimal("0.01")


def factor(rng, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 4)))


def _whole(value: Decimal) -> Decimal:
    return value.quantize(ONE, ROUND_HALF_UP)


def _cost(quantity: Decimal, unit_cost: Decimal) -> Decimal:
    return (quantity * unit_cost).quantize(CENT, ROUND_HALF_UP)


def approved_plans(rng, batch) -> dict[int, CommunityPlan]:
    items = {i.code: i for i in with_cost_on(WorkItem.objects.all(), COST_DATE)}
    # Water supply pipes were mostly the water company's job; five compounds have them in their plan.
    piped = [c for c in batch if c.buildings.count() >= 2]
    water = {c.pk for c in rng.sample(piped, 5)}
    approved = {}
    for community in batch:
        plan = community.plans.filter(status=CommunityPlan.Status.APPROVED).first()
        if plan is None:
            plan = _plan(rng, community, items, community.pk in water)
        approved[community.pk] = plan
    return approved


def _plan(rng, community, items, water: bool) -> CommunityPlan:
    plan = plans.propose_plan(None, community, cost_date=COST_DATE)
    proposed = {pi.item.code: pi.quantity for pi in plan.items.select_related("item")}
    target = _compose(rng, community, {code: item.unit_cost for code, item in items.items()}, water)
    added = [items[code].pk for code, quantity in target.items() if quantity and code not in proposed]
    if added:
        plans.update_plan(None, plan, quantities={}, add_items=added)
    total = sum((_cost(q, items[code].unit_cost) for code, q in target.items() if q), Decimal(0))
    funding = {source: (total * share).quantize(CENT, ROUND_HALF_UP) for source, share in FUNDING}
    funding[FUNDING_REST] = total - sum(funding.values())
    # Items just added have a quantity of 1; items proposed but not wanted go (a quantity of None).
    changes = {items[code].pk: quantity for code, quantity in target.items() if quantity != proposed.get(code, ONE)}
    changes.update({items[code].pk: None for code in proposed if code not in target})
    plans.update_plan(None, plan, quantities=changes, funding=funding,
                      note="按入户调查和居民意见确定改造内容，工程量经现场复核。")
    plans.publish(None, plan)  # checks that the funding adds up to the plan's total
    plans.approve(None, plan)
    return plan


def _compose(rng, community, cost, water: bool) -> dict[str, Decimal | None]:
    """The quantities of one community's plan; the roads take up what is left of the investment estimate."""
    q = plans.census_quantities(community)
    pipe, facade = q[QuantityRule.PIPE_LENGTH], q[QuantityRule.FACADE_AREA]
    floor_area = q[QuantityRule.FLOOR_AREA]
    t: dict[str, Decimal | None] = {}
    if rng.random() < 0.65:
        t["JC01"] = max(Decimal(20), _whole(floor_area * factor(rng, 0.006, 0.014)))
    t["JC02"] = q[QuantityRule.HOUSEHOLDS]
    t["JC03"] = _whole(facade * factor(rng, 0.60, 0.76))  # insulation where the walls need it …
    t["JC04"] = _whole(q[QuantityRule.ROOF_AREA] * factor(rng, 0.20, 0.34))  # the leaking roofs
    t["JC05"] = _whole(q[QuantityRule.STAIRWELL_AREA] * factor(rng, 0.30, 0.42))
    t["JC06"] = _whole(facade * factor(rng, 0.14, 0.24))  # … and paint on the rest
    t["JC07"] = pipe
    t["JC08"] = _whole(pipe * factor(rng, 0.35, 0.65))
    t["JC09"] = _whole(pipe * factor(rng, 0.30, 0.70))
    t["JC10"] = _whole(pipe * factor(rng, 0.55, 0.85))
    if water:
        t["JC11"] = _whole(pipe * factor(rng, 0.60, 1.00))
    t["JC12"] = _whole(pipe * factor(rng, 0.80, 1.20))
    t["JC14"] = ONE
    t["JC16"] = q[QuantityRule.STAIRWELL_UNITS] or None
    t["JC17"] = ONE
    t["WS02"] = q[QuantityRule.BUILDINGS] * 3
    t["WS05"] = ONE

    def spent():
        return sum((_cost(v, cost[k]) for k, v in t.items() if v), Decimal(0))

    estimate = community.investment_estimate
    gap = estimate - spent()
    if community.is_demonstration:  # elevators, smart community, square, elderly care (the census note)
        elevators = min(q[QuantityRule.BUILDINGS], int(gap * Decimal("0.35") / cost["WS06"]))
        t["WS06"] = Decimal(elevators) or None
        if gap > 800_000:
            t["TS01"] = ONE
        if gap > 2_500_000:
            t["TS03"] = ONE
        square = _whole(gap * Decimal("0.05") / cost["TS02"])
        t["TS02"] = min(square, Decimal(1500)) if square >= 100 else None
    rest = estimate - spent()
    t["WS01"] = _whole(rest * factor(rng, 0.20, 0.30) / cost["WS01"])
    t["WS03"] = _whole(rest * factor(rng, 0.06, 0.10) / cost["WS03"])
    t["WS04"] = _whole(rest * factor(rng, 0.03, 0.05) / cost["WS04"])
    left = estimate - spent()
    if left <= 0:
        raise RuntimeError(f"{community.code}: the plan costs more than the estimate")
    t["JC13"] = (left / cost["JC13"]).quantize(CENT, ROUND_HALF_UP)
    return {k: v for k, v in t.items() if v}
