"""Changes to census data. Every write goes through here: permission, validation, write, audit, eligibility."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from gaizao.accounts import scope
from gaizao.communities import eligibility
from gaizao.communities.models import Building, Community
from gaizao.core import audit, stamps
from gaizao.regions.models import Area
from gaizao.regions.services import rules_for_subdistricts

COMMUNITY_AUDIT_FIELDS = [
    "code", "name", "subdistrict", "address", "year_built", "ownership_type", "property_management",
    "exclusion_reason", "latitude", "longitude", "notes", "investment_estimate", "programme_status",
    "batch_year", "is_demonstration",
]
BUILDING_AUDIT_FIELDS = [
    "name", "year_built", "floors", "stairwell_units", "households", "floor_area_m2", "structure", "has_elevator",
]


def refresh_eligibility(community_ids) -> int:
    """Recompute the stored eligibility of these communities; returns how many changed."""
    ids = list(community_ids)
    changed = []
    for start in range(0, len(ids), 2000):
        rows = list(Community.objects.filter(pk__in=ids[start:start + 2000])
                    .only("id", "year_built", "exclusion_reason", "subdistrict_id", "is_eligible"))
        rules = rules_for_subdistricts({c.subdistrict_id for c in rows})
        for community in rows:
            cutoff, _cost = rules[community.subdistrict_id]
            eligible = not eligibility.exclusion_code(community.year_built, community.exclusion_reason, cutoff)
            if community.is_eligible != eligible:
                community.is_eligible = eligible
                changed.append(community)
    Community.objects.bulk_update(changed, ["is_eligible"], batch_size=1000)
    if changed:
        stamps.changed(Community)  # a bulk update sends no signal to the kept summaries
    return len(changed)


def refresh_eligibility_for_district(district: Area) -> int:
    ids = Community.objects.filter(subdistrict__parent=district).values_list("pk", flat=True)
    return refresh_eligibility(list(ids))


def verdict_for(community: Community) -> eligibility.Verdict:
    cutoff, _cost = rules_for_subdistricts([community.subdistrict_id])[community.subdistrict_id]
    return eligibility.evaluate(community.year_built, community.exclusion_reason, cutoff)


def _require_edit(actor, community_subdistrict_id) -> None:
    if actor is None:
        return
    if not actor.can_edit_census:
        raise PermissionDenied(_("You may not change census data."))
    if not scope.covers(actor, community_subdistrict_id):
        raise PermissionDenied(_("You may only change communities of your own sub-district."))


@transaction.atomic
def save_community(actor, community: Community, *, reason: str = "") -> Community:
    """Create or update a community from a filled-in instance (e.g. a bound form's)."""
    creating = community.pk is None
    before = None
    if not creating:
        stored = Community.objects.select_for_update().get(pk=community.pk)
        _require_edit(actor, stored.subdistrict_id)
        before = audit.snapshot(stored, COMMUNITY_AUDIT_FIELDS)
    _require_edit(actor, community.subdistrict_id)
    community.full_clean()
    community.save()
    refresh_eligibility([community.pk])
    community.refresh_from_db(fields=["is_eligible"])
    after = audit.snapshot(community, COMMUNITY_AUDIT_FIELDS)
    if before != after:
        audit.record(actor, [audit.Change("create" if creating else "update", community, before, after)], reason)
    return community


@transaction.atomic
def delete_community(actor, community: Community, *, reason: str = "") -> None:
    _require_edit(actor, community.subdistrict_id)
    changes = [audit.Change("delete", b, audit.snapshot(b, BUILDING_AUDIT_FIELDS), None, parent=community)
               for b in community.buildings.all()]
    changes.append(audit.Change("delete", community, audit.snapshot(community, COMMUNITY_AUDIT_FIELDS), None))
    audit.record(actor, changes, reason)
    community.delete()


@transaction.atomic
def save_building(actor, building: Building, *, reason: str = "") -> Building:
    community = building.community
    _require_edit(actor, community.subdistrict_id)
    before = None
    if building.pk is not None:
        before = audit.snapshot(Building.objects.get(pk=building.pk), BUILDING_AUDIT_FIELDS)
    building.full_clean()
    building.save()
    after = audit.snapshot(building, BUILDING_AUDIT_FIELDS)
    if before != after:
        audit.record(actor, [audit.Change("create" if before is None else "update", building, before, after,
                                          parent=community)], reason)
    return building


@transaction.atomic
def delete_building(actor, building: Building, *, reason: str = "") -> None:
    community = building.community
    _require_edit(actor, community.subdistrict_id)
    audit.record(actor, [audit.Change("delete", building, audit.snapshot(building, BUILDING_AUDIT_FIELDS), None,
                                      parent=community)], reason)
    building.delete()


@transaction.atomic
def set_programme_positions(actor, positions: dict[int, tuple[str, int | None]], *, reason: str = "") -> int:
    """Set many communities' programme status and batch year at once (a programme being adopted).

    Completed communities keep their status. Returns how many changed; each change is in the history.
    """
    changed, changes = [], []
    communities = Community.objects.filter(pk__in=list(positions)).exclude(programme_status="completed")
    for community in communities:
        status, batch_year = positions[community.pk]
        if (community.programme_status, community.batch_year) == (status, batch_year):
            continue
        before = {"programme_status": community.programme_status, "batch_year": community.batch_year}
        community.programme_status, community.batch_year = status, batch_year
        changed.append(community)
        changes.append(audit.Change("update", community, before,
                                    {"programme_status": status, "batch_year": batch_year}))
    Community.objects.bulk_update(changed, ["programme_status", "batch_year"], batch_size=1000)
    if changed:
        stamps.changed(Community)
    audit.record(actor, changes, reason)
    return len(changed)
