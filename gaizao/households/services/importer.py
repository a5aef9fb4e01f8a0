"""Importing the households register (sheet 住户), all or nothing, like the census.

One row is one owner of one dwelling; several owners of a dwelling are several rows with the same building,
unit and room, or names separated by 、 in one row (then phones and ID numbers too, in the same order).
Every bad cell becomes a row error and nothing is written. Dwellings are matched by (building, unit, room); an
owner by ID number within the community, else by name and phone, else (no phone, no ID) by name among the
dwelling's current owners. A masked number read back from an export is matched against the stored one and
leaves it unchanged, so export → import changes nothing.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gaizao.accounts import scope
from gaizao.communities.models import Building, Community
from gaizao.core.masking import mask_id, mask_phone
from gaizao.core.sheets import RowError, SheetRows
from gaizao.households.models import Household, Owner
from gaizao.households.services.reader import SHEET, read_workbook
from gaizao.households.services.writer import dwelling, owner_changes, planned_dwelling, write_plan

BATCH = 1000


def may_import(user, community) -> bool:
    """Bureau staff anywhere (a district's bureau in its district); a sub-district officer in their own
    sub-district. None is the command line."""
    if user is None:
        return True
    if not user.is_authenticated or not user.can_edit_census:
        return False
    return scope.covers(user, community.subdistrict_id)


@dataclass
class PlannedOwner:
    key: tuple
    community_id: int
    name: str
    phone: str = ""  # full number, or "" (masked or absent: keep what is stored)
    id_number: str = ""
    row: int = 0
    existing: Owner | None = None


@dataclass
class PlannedHousehold:
    key: tuple  # (community_id, building_id, unit, room)
    building: Building
    unit: int
    room: str
    area: Decimal
    owner_occupied: bool
    row: int
    registered_area: Decimal | None = None
    developer_held: bool = False
    owner_keys: list = field(default_factory=list)
    existing: Household | None = None


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    applied: bool = False

    @property
    def households(self) -> dict:
        return {a: self.counts[f"household_{a}"] for a in ("create", "update", "unchanged")}

    @property
    def owners(self) -> dict:
        return {a: self.counts[f"owner_{a}"] for a in ("create", "update")}


class ImportRejected(Exception):
    def __init__(self, result):
        super().__init__(f"{len(result.errors)} errors")
        self.result = result


class _Planner:
    def __init__(self, data: SheetRows, errors, actor, community):
        self.data, self.actor, self.only = data, actor, community
        self.result = ImportResult(errors=list(errors))
        self.households: dict[tuple, PlannedHousehold] = {}
        self.owners: dict[tuple, PlannedOwner] = {}
        self.new_owner_count = 0

    def error(self, row, column, message, value=""):
        self.result.errors.append(RowError(SHEET, row, column, message, str(value)[:50]))

    def run(self) -> ImportResult:
        rows = self.data.rows
        if not rows:
            if not self.result.errors:
                self.error(2, "", _("The sheet has no rows to import."))
            return self.result
        self.load(rows)
        for number, values in rows:
            self.plan_row(number, values)
        self.resolve_owners()
        self.count_changes()
        self.result.errors.sort(key=lambda e: e.row)
        return self.result

    def load(self, rows):
        codes = {v["community_code"] for _n, v in rows if v.get("community_code")}
        self.communities = {c.code: c for c in Community.objects.filter(code__in=codes)}
        ids = [c.pk for c in self.communities.values()]
        self.buildings = {(b.community_id, b.name): b for b in Building.objects.filter(community_id__in=ids)}
        self.existing = {
            (h.building.community_id, h.building_id, h.stairwell_unit, h.room): h
            for h in Household.objects.filter(building__community_id__in=ids).select_related("building")
            .prefetch_related("ownerships__owner")
        }
        self.by_id: dict[tuple, Owner] = {}
        self.by_name_phone: dict[tuple, Owner] = {}
        self.by_name: dict[tuple, list[Owner]] = {}
        for owner in Owner.objects.filter(community_id__in=ids).order_by("pk"):
            if owner.id_number:
                self.by_id[(owner.community_id, owner.id_number)] = owner
            if owner.phone:
                self.by_name_phone.setdefault((owner.community_id, owner.name, owner.phone), owner)
            self.by_name.setdefault((owner.community_id, owner.name), []).append(owner)

    def plan_row(self, number, values):
        code = values.get("community_code")
        if not code or not values.get("building") or not values.get("room") or values.get("area") is None:
            return
        community = self.communities.get(code)
        if community is None:
            self.error(number, "小区编码", _("No community has this code."), code)
            return
        if self.only is not None and community.pk != self.only.pk:
            self.error(number, "小区编码", _("This file is for another community; import it from that community's "
                                         "page."), code)
            return
        if not may_import(self.actor, community):
            self.error(number, "小区编码", _("You may only import households of your own sub-district's "
                                         "communities."), code)
            return
        building = self.buildings.get((community.pk, values["building"]))
        if building is None:
            self.error(number, "楼栋名称", _("No building of this name in the community; add it in the census "
                                         "first."), values["building"])
            return
        unit = values.get("unit") or 1
        key = (community.pk, building.pk, unit, values["room"])
        names, phones, ids = values.get("names") or [], values.get("phones") or [], values.get("ids") or []
        occupied = values.get("owner_occupied")
        occupied = True if occupied is None else occupied
        planned = self.households.get(key)
        if planned is None:
            existing = self.existing.get(key)
            present = self.data.present
            planned = PlannedHousehold(
                key, building, unit, values["room"], values["area"], occupied, number, existing=existing,
                registered_area=(values.get("registered_area") if "registered_area" in present
                                 else getattr(existing, "registered_area_m2", None)),
                developer_held=(bool(values.get("developer_held")) if "developer_held" in present
                                else getattr(existing, "developer_held", False)))
            self.households[key] = planned
        else:
            if planned.area != values["area"]:
                self.error(number, "专有面积(平方米)", _("Row %(row)s gives this room another area; write the same "
                                                   "area on every row of a room.") % {"row": planned.row},
                           values["area"])
                return
            if planned.owner_occupied != occupied:
                self.error(number, "是否自住", _("Row %(row)s says otherwise for this room.") % {"row": planned.row})
                return
        if not names:
            if phones or ids:
                self.error(number, "业主姓名", _("A phone or ID number is given without an owner's name."))
            return
        for column, found in (("联系电话", phones), ("身份证号", ids)):
            if found and len(found) != len(names):
                self.error(number, column, _("%(n)s names but %(m)s numbers: write one per owner in the same order "
                                             "as the names, or put each owner on a row of their own.")
                           % {"n": len(names), "m": len(found)})
                return
        for index, name in enumerate(names):
            phone = phones[index] if phones else ""
            number_id = ids[index] if ids else ""
            owner_key = self.owner_key(number, community, planned, name, phone, number_id)
            if owner_key is not None and owner_key not in planned.owner_keys:
                planned.owner_keys.append(owner_key)

    def owner_key(self, number, community, planned, name, phone, id_number):
        current = [o.owner for o in planned.existing.ownerships.all()] if planned.existing else []
        if id_number and "*" in id_number:
            match = self.masked_match(community, current, name, lambda o: mask_id(o.id_number) == id_number)
            if match is None:
                self.error(number, "身份证号", _("This ID number is masked and matches no owner of this name; write "
                                             "the full number or leave the cell empty."), id_number)
                return None
            return self.add_existing(match, number, phone=phone)
        if phone and "*" in phone:
            if id_number:
                phone = ""  # the ID decides; keep the stored phone
            else:
                match = self.masked_match(community, current, name, lambda o: mask_phone(o.phone) == phone)
                if match is None:
                    self.error(number, "联系电话", _("This phone number is masked and matches no owner of this name; "
                                                 "write the full number or leave the cell empty."), phone)
                    return None
                return self.add_existing(match, number)
        if id_number:
            key = ("id", community.pk, id_number)
        elif phone:
            key = ("np", community.pk, name, phone)
        else:
            same = [o for o in current if o.name == name]
            if same:
                return self.add_existing(same[0], number)
            key = ("new", planned.key, name)
        known = self.owners.get(key)
        if known is None:
            self.owners[key] = PlannedOwner(key, community.pk, name, phone, id_number, number)
        elif key[0] == "id" and known.name != name:
            self.error(number, "业主姓名", _("Row %(row)s gives this ID number another name.") % {"row": known.row},
                       name)
            return None
        elif phone and known.phone and phone != known.phone:
            self.error(number, "联系电话", _("Row %(row)s gives this owner another phone number.")
                       % {"row": known.row})
            return None
        elif phone and not known.phone:
            known.phone = phone
        return key

    def masked_match(self, community, current, name, same_number):
        """An owner with this name whose stored number masks to the cell: this dwelling's owners first."""
        for candidates in (current, self.by_name.get((community.pk, name), [])):
            for owner in candidates:
                if owner.name == name and same_number(owner):
                    return owner
        return None

    def add_existing(self, owner, number, phone=""):
        key = ("pk", owner.pk)
        known = self.owners.get(key)
        if known is None:
            known = PlannedOwner(key, owner.community_id, owner.name, "", "", number, existing=owner)
            self.owners[key] = known
        if phone and "*" not in phone:
            known.phone = phone
        return key

    def resolve_owners(self):
        """Match the file's owners to stored ones; several keys may turn out to be one person."""
        claimed: dict[int, tuple] = {}  # stored owner -> the key that stands for them
        alias: dict[tuple, tuple] = {}
        for key, planned in self.owners.items():
            if key[0] == "pk":
                claimed.setdefault(planned.existing.pk, key)
        id_keys = {(k[1], o.name, o.phone): k for k, o in self.owners.items() if k[0] == "id" and o.phone}
        for key, planned in self.owners.items():
            if key[0] == "id":
                owner = self.by_id.get((planned.community_id, planned.id_number))
                if owner is None and planned.phone:
                    candidate = self.by_name_phone.get((planned.community_id, planned.name, planned.phone))
                    taken = claimed.get(candidate.pk) if candidate is not None else None
                    if candidate is not None and not candidate.id_number and (taken is None or taken[0] != "id"):
                        owner = candidate
                planned.existing = owner
            elif key[0] == "np":
                same_person = id_keys.get((planned.community_id, planned.name, planned.phone))
                if same_person is not None:
                    alias[key] = same_person
                    continue
                planned.existing = self.by_name_phone.get((planned.community_id, planned.name, planned.phone))
            else:
                continue
            if planned.existing is None:
                continue
            if planned.existing.pk in claimed:
                alias[key] = claimed[planned.existing.pk]
            else:
                claimed[planned.existing.pk] = key
        for key, target in alias.items():
            source, merged = self.owners[key], self.owners[target]
            merged.phone = merged.phone or source.phone
            merged.id_number = merged.id_number or source.id_number
        for planned in self.households.values():
            keys = []
            for key in planned.owner_keys:
                key = alias.get(key, key)
                if key not in keys:
                    keys.append(key)
            planned.owner_keys = keys
        for key in alias:
            self.owners.pop(key, None)

    def count_changes(self):
        counts = self.result.counts
        for planned in self.households.values():
            current = planned.existing
            if current is None:
                counts["household_create"] += 1
                continue
            same = (dwelling(current) == planned_dwelling(planned)
                    and (not planned.owner_keys or self.owner_ids(current) == self.planned_owner_ids(planned)))
            counts["household_unchanged" if same else "household_update"] += 1
        for planned in self.owners.values():
            if planned.existing is None:
                counts["owner_create"] += 1
            elif owner_changes(planned):
                counts["owner_update"] += 1

    @staticmethod
    def owner_ids(household) -> set:
        return {o.owner_id for o in household.ownerships.all()}

    def planned_owner_ids(self, planned) -> set | None:
        ids = set()
        for key in planned.owner_keys:
            owner = self.owners[key].existing
            if owner is None:
                return None
            ids.add(owner.pk)
        return ids


def plan_import(file, actor=None, community=None) -> ImportResult:
    data, errors = read_workbook(file)
    return _Planner(data, errors, actor, community).run()


def apply_import(file, actor=None, community=None, reason="") -> ImportResult:
    """Write the whole sheet or nothing; raises ImportRejected listing every bad row."""
    data, errors = read_workbook(file)
    try:
        with transaction.atomic():
            planner = _Planner(data, errors, actor, community)
            result = planner.run()
            if result.errors:
                raise ImportRejected(result)
            write_plan(planner, actor, reason or _("Households import"))
            result.applied = True
    except IntegrityError:
        result = ImportResult(errors=[RowError("", 0, "", _("The data changed while importing; nothing was written. "
                                                            "Please import the file again."))])
        raise ImportRejected(result) from None
    return result
