"""District rules and area look-ups."""

from decimal import Decimal

from gaizao.regions.models import Area, DistrictSettings

DEFAULT_CUTOFF_YEAR = 2000
DEFAULT_COST_PER_M2 = Decimal("612.00")


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


def subdistricts():
    return Area.objects.filter(level=Area.Level.SUBDISTRICT).select_related("parent").order_by("code", "name")
