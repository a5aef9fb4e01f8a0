"""The households register as a workbook (contacts masked) and owners' contacts as each user may see them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from gaizao.core import audit, excel
from gaizao.core.masking import mask_id, mask_phone
from gaizao.core.models import AuditEntry
from gaizao.households.models import Household
from gaizao.households.services.reader import COLUMN_WIDTHS, HEADERS, SHEET


def _export_rows(households, full=False):
    for household in households:
        base = [household.building.community.code, household.building.name, household.stairwell_unit,
                household.room, float(household.exclusive_area_m2)]
        occupied = "是" if household.owner_occupied else "否"
        registered = float(household.registered_area_m2) if household.registered_area_m2 is not None else None
        tail = [occupied, registered, "是" if household.developer_held else "否"]
        owners = sorted((o.owner for o in household.ownerships.all()), key=lambda o: (o.name, o.pk))
        if not owners:
            yield [*base, None, None, None, *tail]
        for owner in owners:
            # Full numbers only in an export asked for with a reason (see reveal_export), masked otherwise.
            phone, number = (owner.phone, owner.id_number) if full else (mask_phone(owner.phone),
                                                                         mask_id(owner.id_number))
            yield [*base, owner.name, phone or None, number or None, *tail]


def households_workbook(communities=None, full=False):
    """The workbook of these communities' households (numbers masked unless ``full``); None: the template."""
    workbook = excel.new_workbook()
    rows = []
    if communities is not None:
        households = (Household.objects.filter(building__community__in=communities)
                      .select_related("building__community").prefetch_related("ownerships__owner")
                      .order_by("building__community__code", "building__name", "stairwell_unit", "room"))
        rows = _export_rows(households.iterator(chunk_size=2000), full)
    sheet = excel.add_sheet(workbook, SHEET, HEADERS, rows, COLUMN_WIDTHS)
    for letter in ("C", "D", "G", "H"):
        sheet.column_dimensions[letter].number_format = "@"  # typed numbers stay text: ID numbers keep every digit
    if communities is None:
        notes = [
            ["填写说明"],
            ["1. 每行一位业主；同一房屋有多位业主时，写多行（楼栋、单元、房号相同），或在一行中用“、”分隔姓名，"
             "电话和身份证号按相同顺序用“、”分隔。"],
            ["2. 必填：小区编码、楼栋名称、房号、专有面积(平方米)。单元留空为 1。楼栋须已在普查中登记。"],
            ["3. 再次导入时按 楼栋+单元+房号 更新房屋；业主按身份证号匹配，其次按姓名+电话。"],
            ["4. 身份证号、电话请按文本填写（本模板已设为文本格式），否则 Excel 会丢失末几位。"],
            ["5. 导出的文件中电话和身份证号已脱敏（如 138****5678），原样导回不会改变已存的号码。"],
            ["6. 是否自住：是 或 否，留空为 是。任何一行有错，整个文件不导入，并列出每个错误。"],
            ["7. 登记面积(平方米)：不动产登记簿记载的面积，业主表决按此计算，留空按专有面积；"
             "开发商未售出或未交付：是 或 否（这些房屋在表决中合计按一名业主计算）。"
             "这两列可以不要，不要时不改变已存的值。"],
        ]
        instructions = workbook.create_sheet("填写说明")
        for line in notes:
            instructions.append(line)
        instructions.column_dimensions["A"].width = 120
    return workbook


def owner_contacts(owner, full=False) -> dict:
    """An owner as a page shows them: masked, unless revealed for this household with a reason."""
    return {"id": owner.pk, "name": owner.name,
            "phone": owner.phone if full else mask_phone(owner.phone),
            "id_number": owner.id_number if full else mask_id(owner.id_number)}


def masked_owner(owner) -> dict:
    return {"id": owner.pk, "name": owner.name, "phone": mask_phone(owner.phone),
            "id_number": mask_id(owner.id_number)}


def may_reveal(user, community) -> bool:
    """Bureau staff and the community's committee may see one household's full numbers, giving a reason (the
    Personal Information Protection Law's "minimal necessary"); everyone sees them masked by default."""
    from gaizao.households.access import is_bureau_or_committee

    return is_bureau_or_committee(user, community)


def _why(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why you need the full numbers; the reason is kept in the history."),
                              code="reason")
    return reason[:300]


def reveal(actor, household, reason: str) -> list[dict]:
    """One household's owners with full numbers, recorded in the history with who and why."""
    community = household.building.community
    if not may_reveal(actor, community):
        raise PermissionDenied(_("Only bureau staff and the community's committee may see full numbers."))
    reason = _why(reason)
    audit.record(actor, [audit.Change(AuditEntry.Action.REVEAL, household, None, None, parent=community,
                                      label=f"{household.building.name} {household}")], reason=reason)
    return [owner_contacts(o.owner, full=True) for o in household.ownerships.select_related("owner")]


def reveal_export(actor, community, reason: str):
    """The community's register with full numbers, for a stated purpose kept in the history."""
    if not may_reveal(actor, community):
        raise PermissionDenied(_("Only bureau staff and the community's committee may export full numbers."))
    reason = _why(reason)
    audit.record(actor, [audit.Change(AuditEntry.Action.REVEAL, community, None, None, label=community.name)],
                 reason=reason)
    return households_workbook(community.__class__.objects.filter(pk=community.pk), full=True)
