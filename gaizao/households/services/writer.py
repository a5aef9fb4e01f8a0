"""Writing a planned households import: owners, dwellings, ownerships, and the masked audit rows."""

from gaizao.core import audit
from gaizao.core.masking import mask_id, mask_name, mask_phone
from gaizao.households.models import Household, Owner, Ownership


def owner_changes(planned) -> dict:
    owner, changes = planned.existing, {}
    if planned.name != owner.name:
        changes["name"] = planned.name
    if planned.phone and planned.phone != owner.phone:
        changes["phone"] = planned.phone
    if planned.id_number and planned.id_number != owner.id_number:
        changes["id_number"] = planned.id_number
    return changes


def write_plan(planner, actor, reason) -> None:
    """Write what the planner found (called inside apply_import's transaction, only without errors)."""
    owners: dict[tuple, Owner] = {}
    changes: list[audit.Change] = []
    for key, planned in planner.owners.items():
        if planned.existing is None:
            owners[key] = Owner.objects.create(community_id=planned.community_id, name=planned.name,
                                               phone=planned.phone, id_number=planned.id_number)
            continue
        changed = owner_changes(planned)
        if changed:
            before = _masked_contact(planned.existing, changed)
            for name, value in changed.items():
                setattr(planned.existing, name, value)
            planned.existing.save(update_fields=list(changed))
            # That a contact changed is on record; what it says stays masked, even in the history.
            changes.append(audit.Change("update", planned.existing, before,
                                        _masked_contact(planned.existing, changed),
                                        parent=planned.existing.community,
                                        label=mask_name(planned.existing.name)))
        owners[key] = planned.existing
    for planned in planner.households.values():
        household = planned.existing
        if household is None:
            household = Household.objects.create(
                building=planned.building, stairwell_unit=planned.unit, room=planned.room,
                **dict(zip(DWELLING_FIELDS, planned_dwelling(planned), strict=True)))
            changes.append(audit.Change("create", household, None, _snapshot(household, len(planned.owner_keys)),
                                        parent=planned.building.community))
        else:
            before = _snapshot(household, len(household.ownerships.all()))
            if dwelling(household) != planned_dwelling(planned):
                for name, value in zip(DWELLING_FIELDS, planned_dwelling(planned), strict=True):
                    setattr(household, name, value)
                household.save(update_fields=DWELLING_FIELDS)
            after = _snapshot(household, len(planned.owner_keys) or before["owners"])
            if before != after:
                changes.append(audit.Change("update", household, before, after,
                                            parent=planned.building.community))
        if not planned.owner_keys:
            continue
        wanted = {owners[k].pk for k in planned.owner_keys}
        have = planner.owner_ids(planned.existing) if planned.existing else set()
        if have - wanted:
            Ownership.objects.filter(household=household, owner_id__in=have - wanted).delete()
        Ownership.objects.bulk_create([Ownership(household=household, owner_id=pk) for pk in wanted - have])
        if planned.existing is not None and have != wanted and not any(c.instance == household for c in changes):
            changes.append(audit.Change("update", household, {"owners": len(have)}, {"owners": len(wanted)},
                                        parent=planned.building.community))
    # Audit rows carry areas, owner counts and masked contacts: full names, phones and ID numbers stay out.
    audit.record(actor, changes, reason)


_MASKS = {"name": mask_name, "phone": mask_phone, "id_number": mask_id}


def _masked_contact(owner, fields) -> dict:
    return {name: _MASKS[name](getattr(owner, name)) for name in fields}


DWELLING_FIELDS = ["exclusive_area_m2", "owner_occupied", "registered_area_m2", "developer_held"]


def dwelling(household) -> tuple:
    return tuple(getattr(household, name) for name in DWELLING_FIELDS)


def planned_dwelling(planned) -> tuple:
    return planned.area, planned.owner_occupied, planned.registered_area, planned.developer_held


def _snapshot(household, owner_count) -> dict:
    found = {"room": str(household), "exclusive_area_m2": str(household.exclusive_area_m2),
             "owner_occupied": household.owner_occupied, "owners": owner_count}
    if household.registered_area_m2 is not None:
        found["registered_area_m2"] = str(household.registered_area_m2)
    if household.developer_held:
        found["developer_held"] = True
    return found
