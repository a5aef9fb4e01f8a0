"""A workbook made outside gaizao (other column order, numbers as text) imports, and the summary equals its totals."""

import io
from decimal import Decimal

from openpyxl import Workbook

from gaizao.communities.census.importer import apply_import
from gaizao.communities.census.reader import read_workbook
from gaizao.regions.models import Area, DistrictSettings
from gaizao.reports.services import district_summary

COMMUNITIES = [
    # 小区名称, 建成年份, 小区编码, 所属办事处, 排除原因, 投资估算(万元), 批次年度
    ("甲家属院", 1988, "X1", "东城", "", "500", 2021),
    ("乙小区", "1999", "X2", "西城办事处", None, None, 2022),
    ("丙小区", 2003, "X3", "东城", None, None, None),
    ("丁家属院", 1980, "X4", "西城", "棚户区改造", None, None),
]
BUILDINGS = [
    # 楼栋名称, 小区编码, 户数, 层数, 建筑面积(平方米)
    ("1号楼", "X1", 30, 5, 2500.5), ("2号楼", "X1", "24", "4", "2000"),
    ("A座", "X2", 60, 6, 5400), ("1号楼", "X3", 80, 11, 8000), ("1排", "X4", 8, 1, 400),
]


def outside_workbook() -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = workbook.create_sheet("小区")
    sheet.append(["小区名称", "建成年份", "小区编码", "所属办事处", "排除原因", "投资估算(万元)", "批次年度"])
    for row in COMMUNITIES:
        sheet.append(list(row))
    sheet = workbook.create_sheet("楼栋")
    sheet.append(["楼栋名称", "小区编码", "户数", "层数", "建筑面积(平方米)"])
    for row in BUILDINGS:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_summary_equals_the_workbooks_own_totals(district):
    Area.objects.create(name="东城办事处", code="1", level="subdistrict", parent=district)
    Area.objects.create(name="西城办事处", code="2", level="subdistrict", parent=district)
    cost = DistrictSettings.objects.get(district=district).default_cost_per_m2
    apply_import(read_workbook(io.BytesIO(outside_workbook())))

    eligible = {"X1", "X2"}  # X3 built 2003, X4 shanty town
    rows = [b for b in BUILDINGS if b[1] in eligible]
    area_of = {code: sum(Decimal(str(b[4])) for b in BUILDINGS if b[1] == code) for code in eligible}
    doc = district_summary().as_json()
    assert doc["communities"] == {"total": 4, "eligible": 2, "excluded": 2,
                                  "excluded_by_reason": {"built_after_cutoff": 1, "shanty_town": 1}}
    assert doc["eligible"]["buildings"] == len(rows)
    assert doc["eligible"]["households"] == sum(int(b[2]) for b in rows)
    assert doc["eligible"]["floor_area_m2"] == float(sum(area_of.values()))
    assert doc["eligible"]["estimated_investment_yuan"] == float(500 * 10000 + area_of["X2"] * cost)
    assert doc["by_batch_year"]["2021"]["households"] == 54
