"""District rules and area look-ups."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaizao.core import audit
from gaizao.regions.models import Area, DistrictSettings

DEFAULT_CUTOFF_YEAR = 2000
DEFAULT_COST_PER_M2 = Decimal("612.00")


def subdistrict_name(name: str, district: str | None, several_districts: bool) -> str:
    """How a sub-district is named on a page: every district has its 东城办事处, so where a page covers more than
    one district each sub-district carries its district's name ("盐湖区 东城办事处"); within one, its own."""
    return f"{district} {name}" if several_districts and district else name


def settings_by_district() -> dict[int, DistrictSettings]:
    return {s.district_id: s for s in DistrictSettings.objects.all()}


def rules_for_subdistricts(subdistrict_ids) -> dict[int, tuple[int, Decimal]]:
    """(cut-off year, default cost per m²) for each sub-district, from its district's settings."""
    by_district = settings_by_district()
    rules = {}
    for area_id, parent_id in Area.objects.filter(pk__in=set(subdistrict_ids)).values_list("pk", "parent_id"):
        found = by_district.get(parent_id)
        rules[area_id] = (
            (found.cutoff_year, found.default_cost_per_m2) if found else (DEFAULT_CUTOFF_YEAR, DEFAULT_COST_PER_M2)
        )
    return rules


def server_satisfaction_minimum() -> Decimal | None:
    """The server's SATISFACTION_MIN_RATE (None or empty: no minimum)."""
    from django.conf import settings

    value = getattr(settings, "SATISFACTION_MIN_RATE", None)
    if value is None or value == "":
        return None
    return Decimal(str(value))


def satisfaction_minimum(district_ids=None) -> Decimal | None:
    """The residents' satisfaction an acceptance needs (改造成效由群众评判), or None for no minimum.

    Each district's own setting (the bureau's acceptance settings page), else the server's SATISFACTION_MIN_RATE;
    0 asks for no minimum. Over several districts (a project across a boundary, or none named: the whole
    platform) the strictest applies, so no district's rule is weakened by another's.
    """
    rows = DistrictSettings.objects.all()
    if district_ids is not None:
        rows = rows.filter(district_id__in=set(district_ids))
    server = server_satisfaction_minimum()
    found = {district: rate for district, rate in rows.values_list("district_id", "satisfaction_min_rate")}
    wanted = set(district_ids) if district_ids is not None else set(found)
    rates = [found[d] if found.get(d) is not None else server for d in wanted] or [server]
    rates = [rate for rate in rates if rate]  # None and 0: no minimum there
    return max(rates) if rates else None


@transaction.atomic
def set_satisfaction_minimum(actor, district: Area, rate: Decimal | None) -> DistrictSettings:
    """The bureau sets its district's minimum (a share 0–1; None follows the server's setting)."""
    if actor is not None and not (actor.is_active and actor.sees_whole_district and actor.can_edit_census):
        raise PermissionDenied(_("Only bureau staff set the minimum satisfaction for acceptance."))
    if district.level != Area.Level.DISTRICT:
        raise ValidationError(_("The minimum is set for a district."))
    if rate is not None and not Decimal(0) <= rate <= Decimal(1):
        raise ValidationError(_("The minimum satisfaction is a share from 0 to 100 percent."))
    found, _created = DistrictSettings.objects.select_for_update().get_or_create(
        district=district, defaults={"cutoff_year": DEFAULT_CUTOFF_YEAR, "default_cost_per_m2": DEFAULT_COST_PER_M2})
    before = found.satisfaction_min_rate
    if before == rate:
        return found
    found.satisfaction_min_rate = rate
    found.full_clean()
    found.save(update_fields=["satisfaction_min_rate"])
    audit.record(actor, [audit.Change("update", found, {"satisfaction_min_rate": _text(before)},
                                      {"satisfaction_min_rate": _text(rate)}, parent=district)])
    return found


def _text(rate):
    return None if rate is None else str(rate)


def subdistricts():
    return Area.objects.filter(level=Area.Level.SUBDISTRICT).select_related("parent").order_by("code", "name")
