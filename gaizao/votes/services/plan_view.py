"""What a resident reads before voting on a plan: its items, cost, who pays, their home's share, and when."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from gaizao.households.models import Household
from gaizao.planning import plans
from gaizao.planning.models import FundingSource


def plan_summary(plan, household) -> dict:
    """The plan as the resident's phone shows it. Residents' own contribution is shared by exclusive area, the
    way the maintenance fund is, so each home sees its own figure."""
    items = [{"name": i.item.name, "quantity": i.quantity, "unit": i.item.get_unit_display(), "cost": i.cost,
              "upgrade": i.item.after_basic}
             for i in plan.items.select_related("item").order_by("item__after_basic", "item__code")]
    totals = plans.totals(plan)
    funding = [{"source": FundingSource(f.source).label, "yuan": f.yuan, "residents": f.source ==
                FundingSource.RESIDENTS} for f in plan.funding.order_by("-yuan")]
    residents = sum((f["yuan"] for f in funding if f["residents"]), Decimal(0))
    community = plan.community
    area = (Household.objects.filter(building__community=community)
            .aggregate(total=Sum("exclusive_area_m2"))["total"]) or Decimal(0)
    own = household.voting_area_m2
    share = (residents * own / area).quantize(Decimal("1"), rounding=ROUND_HALF_UP) if area else None
    return {"plan": plan, "items": items, "total": totals["total"], "funding": funding,
            "residents_total": residents, "household_share": share, "household_area": own,
            "year": community.batch_year}
