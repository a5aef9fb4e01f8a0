"""The census workbook format: sheets, Chinese column headers, and how each cell is read.

The headers and the words in choice columns are the file format (a Chinese workbook officials fill in by
hand), so they are fixed strings here; the error messages about them are translated.
"""

from gaizao.communities.models import (
    ExclusionReason,
    OwnershipType,
    ProgrammeStatus,
    PropertyManagement,
    Structure,
)
from gaizao.core.sheets import CellError, Column, word_for  # noqa: F401 (re-exported for importers)
from gaizao.core.sheets import choice as _choice
from gaizao.core.sheets import decimal as _decimal
from gaizao.core.sheets import integer as _integer
from gaizao.core.sheets import text as _text
from gaizao.core.sheets import word_list as _word_list
from gaizao.core.sheets import year as _year
from gaizao.core.sheets import yes_no as _yes_no

AREA_SHEET = "区划"
COMMUNITY_SHEET = "小区"
BUILDING_SHEET = "楼栋"


OWNERSHIP_WORDS = {
    "单位家属院": OwnershipType.WORK_UNIT_COMPOUND,
    "房改房": OwnershipType.REFORMED_PUBLIC,
    "商品房": OwnershipType.COMMERCIAL,
    "混合": OwnershipType.MIXED,
    "其他": OwnershipType.OTHER,
}
MANAGEMENT_WORDS = {
    "无": PropertyManagement.NONE,
    "单位管理": PropertyManagement.WORK_UNIT,
    "物业公司": PropertyManagement.COMPANY,
    "自管": PropertyManagement.SELF_MANAGED,
}
EXCLUSION_WORDS = {
    "三供一业": ExclusionReason.THREE_SUPPLIES,
    "棚户区改造": ExclusionReason.SHANTY_TOWN,
    "小院排房": ExclusionReason.COURTYARD_ROW_HOUSES,
    "老旧危房": ExclusionReason.DANGEROUS_BUILDING,
}
STATUS_WORDS = {
    "储备": ProgrammeStatus.RESERVE,
    "谋划": ProgrammeStatus.PLANNING,
    "实施": ProgrammeStatus.IMPLEMENTING,
    "完工": ProgrammeStatus.COMPLETED,
}
STRUCTURE_WORDS = {
    "砖混": Structure.BRICK_CONCRETE,
    "框架": Structure.FRAME,
    "剪力墙": Structure.SHEAR_WALL,
    "砖木": Structure.BRICK_WOOD,
    "其他": Structure.OTHER,
}
PROBLEM_WORDS = {
    "屋面漏水": "leaking_roof", "外墙破损": "damaged_walls", "管网堵塞": "blocked_drains", "线路杂乱": "tangled_wires",
    "供暖不足": "poor_heating", "供水管老化": "old_water_pipes", "停车无序": "disorderly_parking",
    "无照明": "no_lighting", "垃圾乱堆": "refuse", "道路破损": "broken_roads",
}
LEVEL_WORDS = {"省": "province", "市": "city", "区": "district", "办事处": "subdistrict", "社区": "neighbourhood"}


def _plain(value):
    return value


def _money_wan(value):
    return None if value is None else float(value / 10000)


def _float(value):
    return None if value is None else float(value)


AREA_COLUMNS = [
    Column("区划编码", "code", _text(20), required=True),
    Column("区划名称", "name", _text(100), required=True),
    Column("上级编码", "parent_code", _text(20), blank=""),
    Column("级别", "level", _choice(LEVEL_WORDS), required=True),
]

COMMUNITY_COLUMNS = [
    Column("小区编码", "code", _text(32), required=True),
    Column("小区名称", "name", _text(100), required=True),
    Column("所属办事处", "subdistrict", _text(100), required=True),
    Column("建成年份", "year_built", _year, required=True),
    Column("地址", "address", _text(200), blank=""),
    Column("产权性质", "ownership_type", _choice(OWNERSHIP_WORDS), blank=OwnershipType.OTHER,
           export=lambda v: word_for(OWNERSHIP_WORDS, v)),
    Column("物业管理", "property_management", _choice(MANAGEMENT_WORDS), blank=PropertyManagement.NONE,
           export=lambda v: word_for(MANAGEMENT_WORDS, v)),
    Column("排除原因", "exclusion_reason", _choice({"无": "", **EXCLUSION_WORDS}), blank="",
           export=lambda v: word_for(EXCLUSION_WORDS, v) or None),
    Column("投资估算(万元)", "investment_estimate", _decimal(2, low=0, high=10**8, scale=10000),
           export=_money_wan),
    Column("经度", "longitude", _decimal(6, low=-180, high=180), export=_float),
    Column("纬度", "latitude", _decimal(6, low=-90, high=90), export=_float),
    Column("备注", "notes", _text(2000), blank=""),
    Column("改造状态", "programme_status", _choice(STATUS_WORDS), blank=ProgrammeStatus.RESERVE,
           export=lambda v: word_for(STATUS_WORDS, v)),
    Column("批次年度", "batch_year", _integer(2000, 2100)),
    Column("示范小区", "is_demonstration", _yes_no, blank=False, export=lambda v: "是" if v else "否"),
    Column("存在问题", "problems", _word_list(PROBLEM_WORDS), blank=[],
           export=lambda v: "、".join(word_for(PROBLEM_WORDS, p) for p in v) or None),
    Column("老年人占比(%)", "elderly_share", _decimal(2, low=0, high=100), export=_float),
    Column("居民支持率(%)", "resident_support", _decimal(2, low=0, high=100), export=_float),
]

BUILDING_COLUMNS = [
    Column("小区编码", "community_code", _text(32), required=True),
    Column("楼栋名称", "name", _text(50), required=True),
    Column("层数", "floors", _integer(1, 100), required=True),
    Column("户数", "households", _integer(0, 100000), required=True),
    Column("建筑面积(平方米)", "floor_area_m2", _decimal(2, low=0, high=10**9, low_inclusive=False), required=True,
           export=_float),
    Column("建成年份", "year_built", _year),
    Column("单元数", "stairwell_units", _integer(0, 100), blank=1),
    Column("结构", "structure", _choice(STRUCTURE_WORDS), blank="", export=lambda v: word_for(STRUCTURE_WORDS, v)),
    Column("有电梯", "has_elevator", _yes_no, blank=False, export=lambda v: "是" if v else "否"),
]

SHEETS = {AREA_SHEET: AREA_COLUMNS, COMMUNITY_SHEET: COMMUNITY_COLUMNS, BUILDING_SHEET: BUILDING_COLUMNS}
