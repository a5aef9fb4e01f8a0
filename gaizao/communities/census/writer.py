"""Writing a checked import plan: bulk inserts and updates, eligibility, and one audit row per change."""

from gaizao.communities.census.columns import COMMUNITY_COLUMNS
from gaizao.communities.census.operations import ImportResult, chunks
from gaizao.communities.models import Building, Community
from gaizao.communities.services import refresh_eligibility
from gaizao.core import audit, stamps
from gaizao.regions.models import Area

# A created row's audit entry records these fields and its name.
COMMUNITY_FIELDS = [c.field for c in COMMUNITY_COLUMNS if c.field not in ("code", "subdistrict")]
BUILDING_FIELDS = ["year_built", "floors", "stairwell_units", "households", "floor_area_m2", "structure",
                   "has_elevator"]
LEVEL_ORDER = ["province", "city", "district", "subdistrict", "neighbourhood"]
BATCH = 1000


def _json(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):  # problems: the history reads the codes back as labels
        return [_json(v) for v in value]
    return str(value)


def _snap(values: dict, keys) -> dict:
    return {k: _json(values.get(k)) for k in keys}


def write_operations(result: ImportResult, actor, reason: str, progress=None) -> None:
    ops = result.operations
    total = len(ops)
    done = 0

    def tick(n, label):
        nonlocal done
        done += n
        if progress:
            progress(done, total, label)

    changes: list[audit.Change] = []
    area_by_code = _write_areas([op for op in ops if op.kind == "area"], changes)
    tick(sum(1 for op in ops if op.kind == "area"), "areas")

    community_ops = [op for op in ops if op.kind == "community"]
    touched = _write_communities(community_ops, area_by_code, changes, lambda n: tick(n, "communities"))
    refresh_eligibility(touched)

    building_ops = [op for op in ops if op.kind == "building"]
    _write_buildings(building_ops, changes, lambda n: tick(n, "buildings"))
    audit.record(actor, changes, reason)


def _resolve_area(ref, area_by_code):
    return area_by_code[ref] if isinstance(ref, str) else ref


def _write_areas(ops, changes) -> dict[str, Area]:
    by_code: dict[str, Area] = {}
    parent_codes = {op.values["parent_code"] for op in ops if op.values["parent_code"]}
    by_code.update({a.code: a for a in Area.objects.filter(code__in=parent_codes)})
    for level in LEVEL_ORDER:
        for op in ops:
            if op.values["level"] != level:
                continue
            parent = by_code.get(op.values["parent_code"]) if op.values["parent_code"] else None
            area = op.instance or Area(code=op.key)
            before = None if op.instance is None else {
                "name": area.name, "level": area.level, "parent": area.parent_id}
            area.name, area.level, area.parent = op.values["name"], level, parent
            area.save()
            by_code[op.key] = area
            changes.append(audit.Change(op.action, area, before,
                                        {"name": area.name, "level": level, "parent": area.parent_id}))
    return by_code


def _write_communities(ops, area_by_code, changes, tick) -> list[int]:
    creates = [op for op in ops if op.action == "create"]
    new = []
    for op in creates:
        values = dict(op.values)
        values["subdistrict"] = _resolve_area(values["subdistrict"], area_by_code)
        new.append(Community(code=op.key, **values))
    for part in chunks(new, BATCH):
        Community.objects.bulk_create(part, batch_size=BATCH)
        tick(len(part))
    ids = {}
    for part in chunks([c.code for c in new]):
        ids.update(dict(Community.objects.filter(code__in=part).values_list("code", "id")))
    for community, op in zip(new, creates, strict=True):
        community.pk = ids[community.code]
        after = _snap(op.values, COMMUNITY_FIELDS + ["name"])
        after["subdistrict"] = community.subdistrict_id
        changes.append(audit.Change("create", community, None, after))

    updates = [op for op in ops if op.action == "update"]
    fields = set()
    for op in updates:
        community = op.instance
        before = {k: _json(getattr(community, k if k != "subdistrict" else "subdistrict_id")) for k in op.changed}
        for key in op.changed:
            value = op.values[key]
            if key == "subdistrict":
                value = _resolve_area(value, area_by_code)
            setattr(community, key, value)
            fields.add(key)
        after = {k: _json(getattr(community, k if k != "subdistrict" else "subdistrict_id")) for k in op.changed}
        changes.append(audit.Change("update", community, before, after))
    if updates:
        Community.objects.bulk_update([op.instance for op in updates], sorted(fields), batch_size=BATCH)
        stamps.changed(Community)  # a community may have moved sub-district: the kept figures are told
        tick(len(updates))
    return list(ids.values()) + [op.instance.pk for op in updates]


def _write_buildings(ops, changes, tick) -> None:
    creates = [op for op in ops if op.action == "create"]
    codes = {op.values["community_code"] for op in creates}
    community_ids = {}
    for part in chunks(codes):
        community_ids.update(dict(Community.objects.filter(code__in=part).values_list("code", "id")))
    new = []
    for op in creates:
        values = {k: v for k, v in op.values.items() if k != "community_code"}
        new.append(Building(community_id=community_ids[op.values["community_code"]], **values))
    for part in chunks(new, BATCH):
        Building.objects.bulk_create(part, batch_size=BATCH)
        tick(len(part))
    if new:
        ids = {}
        for part in chunks(list({b.community_id for b in new})):
            ids.update({(c, n): i for c, n, i in Building.objects.filter(community_id__in=part)
                        .values_list("community_id", "name", "id")})
        for building, op in zip(new, creates, strict=True):
            building.pk = ids[(building.community_id, building.name)]
            after = _snap(op.values, BUILDING_FIELDS + ["name"])
            changes.append(audit.Change("create", building, None, after, parent=Community(pk=building.community_id)))

    updates = [op for op in ops if op.action == "update"]
    fields = set()
    for op in updates:
        building = op.instance
        before = {k: _json(getattr(building, k)) for k in op.changed}
        for key in op.changed:
            setattr(building, key, op.values[key])
            fields.add(key)
        changes.append(audit.Change("update", building, before, {k: _json(getattr(building, k)) for k in op.changed},
                                    parent=Community(pk=building.community_id)))
    if updates:
        Building.objects.bulk_update([op.instance for op in updates], sorted(fields), batch_size=BATCH)
        stamps.changed(Building)
        tick(len(updates))
