"""A synthetic census workbook of N communities (about 5 buildings each) in the import format."""

import random

from openpyxl import Workbook

from gaizao.communities.census.columns import AREA_COLUMNS, BUILDING_COLUMNS, COMMUNITY_COLUMNS

SUBDISTRICTS = 40


def write_workbook(path, communities: int, seed: int = 7) -> int:
    """Write the workbook; returns the number of building rows."""
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    areas = workbook.create_sheet("区划")
    areas.append([c.header for c in AREA_COLUMNS])
    areas.append(["990000", "基准市", None, "市"])
    areas.append(["990100", "基准区", "990000", "区"])
    for index in range(1, SUBDISTRICTS + 1):
        areas.append([f"990100{index:03d}", f"基准{index}办事处", "990100", "办事处"])
    sheet = workbook.create_sheet("小区")
    sheet.append([c.header for c in COMMUNITY_COLUMNS])
    buildings = workbook.create_sheet("楼栋")
    buildings.append([c.header for c in BUILDING_COLUMNS])
    count = 0
    for number in range(1, communities + 1):
        code = f"B{number:06d}"
        year = rng.randint(1975, 2005)
        sheet.append([code, f"基准小区{number}", f"990100{number % SUBDISTRICTS + 1:03d}", year, f"基准路{number}号",
                      "单位家属院", "单位管理", "三供一业" if number % 7 == 0 else None,
                      round(rng.uniform(200, 3000), 2), 111.0 + rng.random() / 10, 35.0 + rng.random() / 10, None,
                      "储备", None, "否"])
        for b in range(1, rng.randint(3, 7) + 1):
            households = rng.randint(12, 60)
            buildings.append([code, f"{b}号楼", rng.randint(3, 7), households,
                              round(households * rng.uniform(70, 110), 2), year, rng.randint(1, 4), "砖混", "否"])
            count += 1
    workbook.save(path)
    return count
