"""The Yanhu District demo (盐湖区, Yuncheng, late 2021): the figures the newspaper published and the district's
sub-districts.

The newspaper publishes totals only: 390 communities surveyed, 130 excluded, 260 eligible with 655 buildings,
21,200 households, about 1.96 M m² and 1.2 bn yuan, and a 2021 batch of 49 communities, 159 buildings,
4,936 households, about 445,000 m² and 236 M yuan. The communities and buildings behind those totals are
invented and fitted to them (`yanhu_communities`), then written as the rows the census importer takes
(`yanhu_census`). A fixed seed and no set or clock in the output keep every run identical, so screenshots,
tests and training notes agree.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from gaizao.communities.models import ExclusionReason

SEED = 20211125  # the date of the newspaper page
# The demo is the district on the day the newspaper published its figures: the platform lives on it (core.clock).
DAY = datetime.date(2021, 11, 25)
CITY_CODE, CITY_NAME = "140800", "运城市"
DISTRICT_CODE, DISTRICT_NAME = "140802", "盐湖区"
COST_PER_M2 = Decimal("612")  # the district default: 1.2 bn yuan / 1.96 M m²

ELIGIBLE = {"communities": 260, "buildings": 655, "households": 21200,
            "floor_area_m2": Decimal(1_960_000), "investment": Decimal(1_200_000_000)}
BATCH_2021 = {"communities": 49, "buildings": 159, "households": 4936,
              "floor_area_m2": Decimal(445_000), "investment": Decimal(236_000_000)}
# 实施一批、谋划一批、储备一批: the rest of the five-year plan, 2022 being planned, later years in reserve.
LATER_BATCHES = {2022: 60, 2023: 55, 2024: 50, 2025: 46}
EXCLUDED = {ExclusionReason.THREE_SUPPLIES: 45, ExclusionReason.SHANTY_TOWN: 35,
            ExclusionReason.COURTYARD_ROW_HOUSES: 30, ExclusionReason.DANGEROUS_BUILDING: 20}


@dataclass(frozen=True)
class Subdistrict:
    code: str
    name: str
    weight: int  # share of the district's old communities
    offset: tuple[float, float]  # from the city centre, so the map shows the offices where they lie
    streets: tuple[str, ...]
    lanes: tuple[str, ...]


SUBDISTRICTS = [
    Subdistrict("140802001", "东城办事处", 18, (0.004, 0.022), ("槐东路", "东风路", "红旗东街", "学苑路"),
                ("槐东巷", "东郭巷", "学苑巷")),
    Subdistrict("140802002", "西城办事处", 15, (0.002, -0.022), ("解放路", "西关街", "中山西街", "河东西街"),
                ("西关巷", "车盘巷", "中山巷")),
    Subdistrict("140802003", "南城办事处", 14, (-0.020, 0.002), ("盐湖路", "南环路", "工农街", "金税苑路"),
                ("工农巷", "南关巷", "盐池巷")),
    Subdistrict("140802004", "北城办事处", 15, (0.020, -0.002), ("铁北路", "北环路", "站前街", "圣惠路"),
                ("站北巷", "铁北巷", "北关巷")),
    Subdistrict("140802005", "中城办事处", 17, (0.000, 0.000), ("红旗街", "河东街", "中银路", "人民路"),
                ("红旗巷", "河东巷", "府前巷")),
    Subdistrict("140802006", "安邑办事处", 12, (0.024, 0.024), ("安邑路", "潞村街", "新建路", "凤凰路"),
                ("潞村巷", "安邑巷", "凤凰巷")),
    Subdistrict("140802007", "姚孟办事处", 9, (-0.022, -0.022), ("姚孟街", "舜帝街", "条山街", "禹都路"),
                ("姚孟巷", "条山巷", "舜帝巷")),
]
BY_NAME = {s.name: s for s in SUBDISTRICTS}

# The 2021 communities the article names (name, sub-district, kind, demonstration), then five more
# demonstration communities so that there are ten, and two more in the areas it names.
FEATURED = [
    ("康杰中学家属院", "东城办事处", "unit", True),
    ("农行家属院(槐东路)", "东城办事处", "unit", True),
    ("棉麻家属院", "中城办事处", "unit", True),
    ("农机家属院", "北城办事处", "unit", True),
    ("地建一院片区", "西城办事处", "area", True),
    ("金税苑小区", "南城办事处", "estate", True),
    ("铁北小区", "北城办事处", "estate", True),
    ("潞村街小区", "安邑办事处", "estate", True),
    ("供销社家属院", "姚孟办事处", "unit", True),
    ("粮食局家属院", "西城办事处", "unit", True),
    ("金税苑二区", "南城办事处", "estate", False),
    ("铁北新村", "北城办事处", "estate", False),
]
KANGJIE_NOTE = "施工单位：中建交通建设集团。居民成立临时管委会，由退休教师任主任，与施工方协商改造事项。"
