"""Census import: compare a workbook with the database, then write all of it or nothing.

`plan_import` only reads; it returns what would be created, updated and left unchanged, and every bad row.
`apply_import` plans again inside one transaction and writes only when there is no error at all.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gaizao.accounts import scope
from gaizao.communities.census.columns import AREA_SHEET, BUILDING_SHEET, COMMUNITY_SHEET
from gaizao.communities.census.operations import ImportResult, Operation, chunks
from gaizao.communities.census.reader import CensusData, RowError
from gaizao.communities.census.writer import write_operations
from gaizao.communities.models import Building, Community
from gaizao.regions.models import Area


class ImportRejected(Exception):
    def __init__(self, result):
        super().__init__(f"{len(result.errors)} errors")
        self.result = result


class _Planner:
    def __init__(self, data: CensusData, actor):
        self.data = data
        self.actor = actor
        self.result = ImportResult(errors=list(data.errors))

    def error(self, sheet, row, column, message, value=""):
        self.result.errors.append(RowError(sheet, row, column, message, str(value)[:50]))

    # -- areas ---------------------------------------------------------------------------------------------
    def plan_areas(self):
        rows = self.data.areas.rows
        codes = [v.get("code") for _, v in rows if v.get("code")]
        existing = {a.code: a for a in Area.objects.filter(code__in=codes).select_related("parent")}
        self.new_areas: dict[str, dict] = {}
        seen = set()
        sheet_levels = {v.get("code"): v.get("level") for _, v in rows}
        for number, values in rows:
            code, level, parent_code = values.get("code"), values.get("level"), values.get("parent_code") or ""
            if not code or not level:
                continue
            if code in seen:
                self.error(AREA_SHEET, number, "区划编码", _("This code appears twice in the sheet."), code)
                continue
            seen.add(code)
            expected_parent = Area.PARENT_LEVEL.get(level)
            # A city may stand at the top (workbooks made before provinces were kept have none above it).
            if expected_parent and not parent_code and level not in Area.TOP_LEVELS:
                self.error(AREA_SHEET, number, "上级编码", _("Required for this level."))
                continue
            if parent_code:
                parent_level = sheet_levels.get(parent_code)
                if parent_level is None:
                    parent = Area.objects.filter(code=parent_code).only("level").first()
                    parent_level = parent.level if parent else None
                if parent_level is None:
                    self.error(AREA_SHEET, number, "上级编码",
                               _("No area has this code; add it to the sheet or fix the code."), parent_code)
                    continue
                if parent_level != expected_parent:
                    self.error(AREA_SHEET, number, "级别", _("The parent area is not one level above this one."))
                    continue
            current = existing.get(code)
            values = {"name": values["name"], "level": level, "parent_code": parent_code}
            if current is None:
                op = Operation("area", "create", code, values["name"], values)
                self.new_areas[code] = values
            else:
                now = {"name": current.name, "level": current.level,
                       "parent_code": current.parent.code if current.parent and current.parent.code else ""}
                changed = [k for k in values if values[k] != now[k]]
                if not changed:
                    self.result.unchanged["area"] += 1
                    continue
                op = Operation("area", "update", code, values["name"], values, current, changed)
            if not self.actor_sees_all:
                self.error(AREA_SHEET, number, "", _("Only bureau staff may create or change areas."))
                continue
            self.result.operations.append(op)

    @property
    def actor_sees_all(self) -> bool:
        return self.actor is None or self.actor.sees_whole_district

    # -- sub-districts -------------------------------------------------------------------------------------
    def build_subdistrict_lookup(self):
        self.by_code: dict[str, object] = {}
        self.by_name: dict[str, list] = {}

        def add(key_code, name, ref):
            if key_code:
                self.by_code[key_code] = ref
            for variant in {name, name.removesuffix("办事处"), name.removesuffix("街道")}:
                if variant:
                    self.by_name.setdefault(variant, []).append(ref)

        for area in Area.objects.filter(level=Area.Level.SUBDISTRICT):
            if area.code not in self.new_areas:
                add(area.code, area.name, area)
        for code, values in self.new_areas.items():
            if values["level"] == Area.Level.SUBDISTRICT:
                add(code, values["name"], code)  # a string: created when the import is applied
        for op in self.result.operations:
            if op.kind == "area" and op.action == "update" and op.values["level"] == Area.Level.SUBDISTRICT:
                self.by_name.setdefault(op.values["name"], []).append(op.instance)

    def resolve_subdistrict(self, text, number):
        found = self.by_code.get(text)
        if found is None:
            matches = list({id(m): m for m in self.by_name.get(text, [])}.values())
            if len(matches) > 1:
                self.error(COMMUNITY_SHEET, number, "所属办事处",
                           _("Several sub-districts have this name; write its division code instead."), text)
                return None
            found = matches[0] if matches else None
        if found is None:
            self.error(COMMUNITY_SHEET, number, "所属办事处",
                       _("Unknown sub-district; check the name, or add it to the sheet 区划."), text)
        return found

    # -- communities ---------------------------------------------------------------------------------------
    def plan_communities(self):
        present = self.data.communities.present - {"code", "subdistrict"}
        rows = self.data.communities.rows
        codes = [v["code"] for _, v in rows if v.get("code")]
        existing = {}
        for part in chunks(codes):
            existing.update({c.code: c for c in Community.objects.filter(code__in=part)})
        self.community_codes: set[str] = set()
        names_in_sheet: dict[tuple, int] = {}
        name_keys = []
        for number, values in rows:
            code = values.get("code")
            if not code or values.get("subdistrict") is None:
                continue
            if code in self.community_codes:
                self.error(COMMUNITY_SHEET, number, "小区编码", _("This code appears twice in the sheet."), code)
                continue
            self.community_codes.add(code)
            subdistrict = self.resolve_subdistrict(values["subdistrict"], number)
            if subdistrict is None:
                continue
            current = existing.get(code)
            if not self.may_edit(subdistrict, current):
                self.error(COMMUNITY_SHEET, number, "所属办事处",
                           _("You may only import communities of your own sub-district."), values["subdistrict"])
                continue
            sub_key = subdistrict if isinstance(subdistrict, str) else subdistrict.pk
            name_key = (sub_key, values.get("name"))
            if name_key in names_in_sheet:
                self.error(COMMUNITY_SHEET, number, "小区名称",
                           _("Another row (row %(row)s) has the same name in this sub-district.")
                           % {"row": names_in_sheet[name_key]}, values.get("name"))
                continue
            names_in_sheet[name_key] = number
            name_keys.append((number, code, name_key))
            fields = {k: values[k] for k in present if k in values}
            fields["name"] = values["name"]
            fields["subdistrict"] = subdistrict
            if current is None:
                self.result.operations.append(Operation("community", "create", code, values["name"], fields))
                continue
            changed = [k for k in fields if k != "subdistrict" and getattr(current, k) != fields[k]]
            if isinstance(subdistrict, str) or subdistrict.pk != current.subdistrict_id:
                changed.append("subdistrict")
            if changed:
                self.result.operations.append(
                    Operation("community", "update", code, values["name"], fields, current, changed))
            else:
                self.result.unchanged["community"] += 1
        self.check_names_against_database(name_keys)

    def may_edit(self, subdistrict, current) -> bool:
        if self.actor_sees_all:
            return True
        if not self.actor.can_edit_census or isinstance(subdistrict, str):
            return False
        return scope.covers(self.actor, subdistrict.pk) and (
            current is None or scope.covers(self.actor, current.subdistrict_id))

    def check_names_against_database(self, name_keys):
        by_sub: dict[int, dict] = {}
        for sub_key, _name in {item[2] for item in name_keys if not isinstance(item[2][0], str)}:
            by_sub.setdefault(sub_key, {})
        for part in chunks(list(by_sub)):
            for sub_id, name, code in Community.objects.filter(subdistrict_id__in=part).values_list(
                "subdistrict_id", "name", "code"
            ):
                by_sub[sub_id][name] = code
        moving = {op.key for op in self.result.operations if op.kind == "community"}
        renamed_away = {op.instance.code for op in self.result.operations
                        if op.kind == "community" and op.action == "update"}
        for number, code, (sub_key, name) in name_keys:
            holder = by_sub.get(sub_key, {}).get(name) if not isinstance(sub_key, str) else None
            if holder and holder != code and not (holder in moving and holder in renamed_away):
                self.error(COMMUNITY_SHEET, number, "小区名称",
                           _("Community %(code)s already has this name in this sub-district.") % {"code": holder},
                           name)

    # -- buildings -----------------------------------------------------------------------------------------
    def plan_buildings(self):
        present = self.data.buildings.present - {"community_code", "name"}
        rows = self.data.buildings.rows
        wanted = {v["community_code"] for _, v in rows if v.get("community_code")}
        known = {}
        for part in chunks(wanted):
            known.update(dict(Community.objects.filter(code__in=part).values_list("code", "id")))
        visible = set(known)
        if not self.actor_sees_all:
            own = self.actor.subdistrict_id
            visible = set(Community.objects.filter(code__in=list(known), subdistrict_id=own)
                          .values_list("code", flat=True))
        existing = {}
        for part in chunks(known.values()):
            for building in Building.objects.filter(community_id__in=part).select_related("community"):
                existing[(building.community.code, building.name)] = building
        seen = set()
        for number, values in rows:
            code, name = values.get("community_code"), values.get("name")
            if not code or not name:
                continue
            if code not in self.community_codes and code not in known:
                self.error(BUILDING_SHEET, number, "小区编码",
                           _("No community has this code, in the sheet 小区 or in the database."), code)
                continue
            if code in known and code not in visible and code not in self.community_codes:
                self.error(BUILDING_SHEET, number, "小区编码",
                           _("You may only import buildings of your own sub-district's communities."), code)
                continue
            if (code, name) in seen:
                self.error(BUILDING_SHEET, number, "楼栋名称",
                           _("This building appears twice for the same community."), name)
                continue
            seen.add((code, name))
            fields = {k: values[k] for k in present if k in values}
            current = existing.get((code, name))
            label = f"{code} {name}"
            if current is None:
                fields.update(community_code=code, name=name)
                self.result.operations.append(Operation("building", "create", label, name, fields))
                continue
            changed = [k for k in fields if getattr(current, k) != fields[k]]
            if changed:
                self.result.operations.append(Operation("building", "update", label, name, fields, current, changed))
            else:
                self.result.unchanged["building"] += 1

    def run(self) -> ImportResult:
        if self.data.errors and not (self.data.communities.rows or self.data.buildings.rows):
            return self.result
        self.plan_areas()
        self.build_subdistrict_lookup()
        self.plan_communities()
        self.plan_buildings()
        self.result.errors.sort(key=lambda e: ({AREA_SHEET: 0, COMMUNITY_SHEET: 1, BUILDING_SHEET: 2}.get(e.sheet, 3),
                                               e.row))
        return self.result


def plan_import(data: CensusData, actor=None) -> ImportResult:
    return _Planner(data, actor).run()


def apply_import(data: CensusData, actor=None, reason: str = "", progress=None) -> ImportResult:
    """Write the whole workbook or nothing. Raises ImportRejected (with every bad row) when anything is wrong."""
    try:
        with transaction.atomic():
            result = plan_import(data, actor)
            if result.errors:
                raise ImportRejected(result)
            write_operations(result, actor, reason or _("Census import"), progress)
            result.applied = True
    except IntegrityError:
        # Someone else wrote the same codes between our check and our write.
        result = ImportResult(errors=[RowError("", 0, "", _("The data changed while importing; nothing was "
                                                             "written. Please import the file again."))])
        raise ImportRejected(result) from None
    return result
