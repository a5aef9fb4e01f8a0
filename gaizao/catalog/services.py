"""The cost in force on a date, catalog seeding, and cost changes with history."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from gaizao.catalog.models import UnitCost, WorkItem
from gaizao.core import audit


def with_cost_on(queryset, day: datetime.date):
    """Annotate each item with `unit_cost`: the latest cost valid on `day` (None if none yet)."""
    latest = UnitCost.objects.filter(item=OuterRef("pk"), valid_from__lte=day).order_by("-valid_from")
    return queryset.annotate(unit_cost=Subquery(latest.values("yuan")[:1]))


def cost_on(item: WorkItem, day: datetime.date) -> Decimal | None:
    found = item.costs.filter(valid_from__lte=day).order_by("-valid_from").first()
    return found.yuan if found else None


def _require_bureau(actor):
    if actor is not None and not (actor.sees_whole_district and actor.can_edit_census):
        raise PermissionDenied(_("Only bureau staff may change the catalog."))


@transaction.atomic
def save_item(actor, item: WorkItem) -> WorkItem:
    _require_bureau(actor)
    before = None
    fields = ["code", "name", "tier", "content_group", "unit", "quantity_rule", "after_basic", "active",
              "warranty_number", "warranty_kind"]
    if item.pk:
        before = audit.snapshot(WorkItem.objects.get(pk=item.pk), fields)
    item.full_clean()
    item.save()
    after = audit.snapshot(item, fields)
    if before != after:
        audit.record(actor, [audit.Change("create" if before is None else "update", item, before, after)])
    return item


@transaction.atomic
def set_cost(actor, item: WorkItem, valid_from: datetime.date, yuan: Decimal) -> UnitCost:
    """A new cost from a date; the same date again replaces that day's cost. Older costs stay for old plans."""
    _require_bureau(actor)
    cost = UnitCost.objects.filter(item=item, valid_from=valid_from).first() or UnitCost(item=item,
                                                                                         valid_from=valid_from)
    before = None if cost.pk is None else {"yuan": str(cost.yuan), "valid_from": str(valid_from)}
    cost.yuan = yuan
    cost.full_clean()
    cost.save()
    audit.record(actor, [audit.Change("create" if before is None else "update", cost, before,
                                      {"yuan": str(yuan), "valid_from": str(valid_from)}, parent=item)])
    return cost
