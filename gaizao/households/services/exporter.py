"""The households register as a workbook (contacts masked) and owners' contacts as each user may see them."""

from gaizao.core import excel
from gaizao.core.masking import mask_id, mask_phone, may_see_personal_data
from gaizao.households.models import Household
from gaizao.households.services.reader import COLUMN_WIDTHS, HEADERS, SHEET


def _export_rows(households):
    for household in households:
        base = [household.building.community.code, household.building.name, household.stairwell_unit,
                household.room, float(household.exclusive_area_m2)]
        occupied = "是" if household.owner_occupied else "否"
        owners = sorted((o.owner for o in household.ownerships.all()), key=lambda o: (o.name, o.pk))
        if not owners:
            yield [*base, None, None, None, occupied]
        for owner in owners:
            # Exports never hold a full phone or ID number, whoever downloads them.
            yield [*base, owner.name, mask_phone(owner.phone) or None, mask_id(owner.id_number) or None, occupied]


def households_workbook(communities=None):
    """The workbook of these communities' households (masked numbers); with None, the empty template."""
    workbook = excel.new_workbook()
    rows = []
    if communities is not None:
        households = (Household.objects.filter(building__community__in=communities)
                      .select_related("building__community").prefetch_related("ownerships__owner")
                      .order_by("building__community__code", "building__name", "stairwell_unit", "room"))
        rows = _export_rows(households.iterator(chunk_size=2000))
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
        ]
        instructions = workbook.create_sheet("填写说明")
        for line in notes:
            instructions.append(line)
        instructions.column_dimensions["A"].width = 120
    return workbook


def owner_contacts(owner, user) -> dict:
    """An owner as a page or the API shows them: full numbers only to those who need them."""
    full = may_see_personal_data(user)
    return {"id": owner.pk, "name": owner.name,
            "phone": owner.phone if full else mask_phone(owner.phone),
            "id_number": owner.id_number if full else mask_id(owner.id_number)}


def masked_owner(owner) -> dict:
    return {"id": owner.pk, "name": owner.name, "phone": mask_phone(owner.phone),
            "id_number": mask_id(owner.id_number)}
