"""Census workbook export in the import format, so that export then import changes nothing."""

from gaizao.communities.census.columns import (
    AREA_COLUMNS,
    AREA_SHEET,
    BUILDING_COLUMNS,
    BUILDING_SHEET,
    COMMUNITY_COLUMNS,
    COMMUNITY_SHEET,
    LEVEL_WORDS,
    word_for,
)
from gaizao.communities.models import Building
from gaizao.core import excel
from gaizao.regions.models import Area

_WIDTHS = {"小区名称": 24, "地址": 30, "备注": 30, "所属办事处": 14, "楼栋名称": 12}


def _headers(columns):
    return [c.header for c in columns]


def _widths(columns):
    return {i: _WIDTHS[c.header] for i, c in enumerate(columns, start=1) if c.header in _WIDTHS}


def _cell(column, value):
    if column.export is not None:
        return column.export(value)
    if value == "":
        return None
    return value


def _area_rows(communities):
    """The areas above the exported communities, so the workbook imports into an empty database."""
    ids = set(communities.values_list("subdistrict_id", flat=True).distinct())
    areas: dict[int, Area] = {}
    frontier = ids
    while frontier:
        found = list(Area.objects.filter(pk__in=frontier).select_related("parent"))
        for area in found:
            areas[area.pk] = area
        frontier = {a.parent_id for a in found if a.parent_id and a.parent_id not in areas}
    order = {"province": -1, "city": 0, "district": 1, "subdistrict": 2, "neighbourhood": 3}
    for area in sorted(areas.values(), key=lambda a: (order[a.level], a.code or "", a.name)):
        if area.code:
            yield [area.code, area.name, area.parent.code if area.parent else None, word_for(LEVEL_WORDS, area.level)]


def _community_rows(communities):
    for community in communities.select_related("subdistrict").order_by("code").iterator(chunk_size=2000):
        row = []
        for column in COMMUNITY_COLUMNS:
            if column.field == "subdistrict":
                sub = community.subdistrict
                row.append(sub.code or sub.name)
            else:
                row.append(_cell(column, getattr(community, column.field)))
        yield row


def _building_rows(communities):
    buildings = (Building.objects.filter(community__in=communities).select_related("community")
                 .order_by("community__code", "name"))
    for building in buildings.iterator(chunk_size=5000):
        row = []
        for column in BUILDING_COLUMNS:
            value = building.community.code if column.field == "community_code" else getattr(building, column.field)
            row.append(_cell(column, value))
        yield row


def census_workbook(communities=None):
    """The workbook for these communities; with None, the empty template."""
    workbook = excel.new_workbook()
    empty = communities is None
    sheets = [
        (AREA_SHEET, AREA_COLUMNS, [] if empty else _area_rows(communities)),
        (COMMUNITY_SHEET, COMMUNITY_COLUMNS, [] if empty else _community_rows(communities)),
        (BUILDING_SHEET, BUILDING_COLUMNS, [] if empty else _building_rows(communities)),
    ]
    for title, columns, rows in sheets:
        excel.add_sheet(workbook, title, _headers(columns), rows, _widths(columns))
    if empty:
        _add_instructions(workbook)
    return workbook


def _add_instructions(workbook):
    notes = [
        ["填写说明"],
        ["1. 小区编码唯一；再次导入时按小区编码更新，按小区编码和楼栋名称更新楼栋。"],
        ["2. 必填：小区编码、小区名称、所属办事处（名称或区划编码）、建成年份；"
         "楼栋：小区编码、楼栋名称、层数、户数、建筑面积(平方米)。"],
        ["3. 产权性质：单位家属院、房改房、商品房、混合、其他；物业管理：无、单位管理、物业公司、自管。"],
        ["4. 排除原因：三供一业、棚户区改造、小院排房、老旧危房，或留空。改造状态：储备、谋划、实施、完工。"],
        ["5. 结构：砖混、框架、剪力墙、砖木、其他；有电梯、示范小区：是 或 否。投资估算单位为万元。"],
        ["6. 区划表可选：级别为 市、区、办事处、社区；上级编码填写上一级的区划编码。"],
        ["7. 任何一行有错，整个文件不导入，并列出每个错误的表、行、列。"],
    ]
    sheet = workbook.create_sheet("填写说明")
    for line in notes:
        sheet.append(line)
    sheet.column_dimensions["A"].width = 120
