"""The Yanhu demo's 390 communities and their buildings: invented (names, build years, storeys), then fitted
so that the district summary reproduces the published totals to the household, m² and cent."""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from gaizao.communities.models import ExclusionReason, Structure
from gaizao.demo.yanhu import (
    BATCH_2021,
    BY_NAME,
    COST_PER_M2,
    ELIGIBLE,
    EXCLUDED,
    FEATURED,
    KANGJIE_NOTE,
    LATER_BATCHES,
    SEED,
    SUBDISTRICTS,
    Subdistrict,
)

CENT = Decimal("0.01")

# Work units whose staff housing (家属院) fills an old Chinese city. The units the article names are left
# out here because their compounds are written out in FEATURED.
WORK_UNITS = (
    "电业局", "邮电局", "粮食局", "盐化", "财政局", "税务局", "交通局", "水利局", "公安局", "法院", "检察院",
    "烟草公司", "百货公司", "五金公司", "糖酒公司", "药材公司", "物资局", "商业局", "二轻局", "纺织厂",
    "化肥厂", "制药厂", "机床厂", "面粉厂", "印刷厂", "棉纺厂", "运输公司", "地质队", "气象局", "教育局",
    "卫生局", "广电局", "运城师专", "农校", "卫校", "运城中学", "实验中学", "地区医院", "中心医院", "工行",
    "建行", "人行", "中行", "保险公司", "外贸公司", "食品公司", "蔬菜公司", "建筑公司", "市政公司",
    "自来水公司", "农业局", "林业局", "畜牧局", "工商局", "审计局", "统计局", "人防办", "文化局", "体委",
    "汽修厂",
)
# State enterprises, whose staff housing goes to 三供一业 (utilities and management handed over).
THREE_SUPPLIES_UNITS = (
    "电业局", "盐化", "化肥厂", "制药厂", "机床厂", "纺织厂", "棉纺厂", "面粉厂", "邮电局", "运输公司",
    "自来水公司", "发电厂", "热电厂", "铁路分局", "南风化工", "水泥厂", "焦化厂", "钢铁厂", "中条山有色",
    "运城车站",
)
UNIT_SUFFIXES = ("家属院", "家属院", "家属院", "宿舍", "生活区", "东院", "西院", "南院", "北院", "二号院")
ESTATE_WORDS = (
    "东风", "红旗", "向阳", "光明", "幸福", "和平", "团结", "民主", "建设", "胜利", "朝阳", "友谊",
    "新华", "前进", "康乐", "安居", "福康", "文苑", "翠园", "锦绣", "振兴", "繁荣", "盐湖", "河东",
)
ESTATE_SUFFIXES = ("小区", "小区", "新村", "里")
DEMONSTRATION_NOTE = "示范小区：基础类改造，另加装电梯、智慧社区、休闲广场、社区养老。"


@dataclass
class DemoBuilding:
    name: str
    year_built: int
    floors: int
    stairwell_units: int
    households: int
    floor_area_m2: Decimal = Decimal(0)
    structure: str = Structure.BRICK_CONCRETE


@dataclass
class DemoCommunity:
    name: str
    subdistrict: Subdistrict
    kind: str  # "unit" (家属院), "estate" (小区), "lane" (巷X号院) or "area" (片区)
    exclusion_reason: str = ""
    batch_year: int | None = None
    is_demonstration: bool = False
    notes: str = ""
    address: str = ""
    investment_estimate: Decimal | None = None
    buildings: list[DemoBuilding] = field(default_factory=list)
    code: str = ""


class _Names:
    """Community names, unique in the whole district so that nobody confuses two compounds."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used = {name for name, *_ in FEATURED}

    def take(self, sub: Subdistrict, kind: str, units=WORK_UNITS) -> str:
        for _attempt in range(1000):
            name = self._candidate(sub, kind, units)
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError(f"no more {kind} names for {sub.name}")

    def _candidate(self, sub, kind, units) -> str:
        rng = self.rng
        if kind == "unit":
            return rng.choice(units) + rng.choice(UNIT_SUFFIXES)
        if kind == "estate":
            return rng.choice(ESTATE_WORDS) + rng.choice(ESTATE_SUFFIXES) + rng.choice(("", "", "二区"))
        if kind == "lane":
            return f"{rng.choice(sub.lanes)}{rng.randint(1, 30)}号院"
        return rng.choice(sub.streets + sub.lanes) + rng.choice(("片区", "东片区", "西片区", "北片区"))


def _year_weighted(rng, low: int, high: int) -> int:
    """A build year, most around 1993: work units built most of their housing in the late 1980s and 1990s."""
    return round(rng.triangular(low, high, min(high, max(low, 1993))))


def _building(rng, number: int, year: int, kind: str) -> DemoBuilding:
    if kind == "rows":  # 小院排房 and shanty towns: one- or two-storey rows, not walk-up blocks
        floors = rng.choice((1, 1, 2))
        return DemoBuilding(f"{number}排", year, floors, 0, floors * rng.randint(3, 6),
                            structure=rng.choice((Structure.BRICK_WOOD, Structure.BRICK_CONCRETE)))
    if year < 1985:
        floors = rng.choice((3, 4, 4, 5, 5, 5))
    elif year < 1995:
        floors = rng.choice((4, 5, 5, 6, 6, 6, 7))
    else:
        floors = rng.choice((5, 6, 6, 6, 7, 7, 8, 9))
    units = rng.choice((2, 2, 3, 3, 3, 4)) if floors <= 4 else rng.choice((1, 2, 2, 3, 3, 3, 4))
    structure = Structure.BRICK_CONCRETE
    if year < 1983 and rng.random() < 0.2:
        structure = Structure.BRICK_WOOD
    elif year >= 1996 and rng.random() < 0.1:
        structure = Structure.FRAME
    # Two flats per landing is the usual walk-up plan, so floors × units × 2 households.
    return DemoBuilding(f"{number}号楼", year, floors, units, floors * units * 2, structure=structure)


def _add_buildings(rng, community: DemoCommunity, count: int, first_year: int, kind: str = "block") -> None:
    for number in range(1, count + 1):
        # Compounds grew over a few years, so the buildings' years start at the first and trail after it.
        year = min(2000, first_year + rng.choice((0, 0, 0, 1, 2, 3, 5)))
        community.buildings.append(_building(rng, number, year, kind))


def _spread(rng, total: int, slots: int, low: int = 1, high: int = 7) -> list[int]:
    counts = [low] * slots
    left = total - low * slots
    while left:
        slot = rng.randrange(slots)
        if counts[slot] < high:
            counts[slot] += 1
            left -= 1
    return counts


def _fit_integers(rng, values: list[int], target: int, low: int, high: int) -> list[int]:
    """Scale to a target sum, then move single units on random items until it is met exactly."""
    factor = target / sum(values)
    fitted = [min(high, max(low, round(v * factor))) for v in values]
    step = 1 if target > sum(fitted) else -1
    order = list(range(len(fitted)))
    while sum(fitted) != target:
        rng.shuffle(order)
        before = sum(fitted)
        for i in order:
            if sum(fitted) == target:
                break
            if low <= fitted[i] + step <= high:
                fitted[i] += step
        if sum(fitted) == before:
            raise ValueError(f"cannot reach {target} with {len(fitted)} items between {low} and {high}")
    return fitted


def random_decimal(rng, low: float, high: float) -> Decimal:
    # Through str, so the value is the two-decimal number a person would write, the same on every platform.
    return Decimal(str(round(rng.uniform(low, high), 2)))


def _fit_decimals(values: list[Decimal], target: Decimal) -> list[Decimal]:
    """Scale to a target sum in cents; the rounding left over goes to the largest item."""
    total = sum(values)
    fitted = [(v * target / total).quantize(CENT) for v in values]
    largest = fitted.index(max(fitted))
    fitted[largest] += target - sum(fitted)
    return fitted


def _fit_buildings(rng, communities: list[DemoCommunity], households: int, floor_area: Decimal) -> None:
    buildings = [b for c in communities for b in c.buildings]
    fitted = _fit_integers(rng, [b.households for b in buildings], households, 12, 60)
    # About 90 m² a household; each building its own, so the areas do not look machine-made.
    areas = [n * random_decimal(rng, 78, 104) for n in fitted]
    for building, n, area in zip(buildings, fitted, _fit_decimals(areas, floor_area), strict=True):
        building.households, building.floor_area_m2 = n, area


def _area_of(community: DemoCommunity) -> Decimal:
    return sum((b.floor_area_m2 for b in community.buildings), Decimal(0))


def _set_estimates(rng, communities: list[DemoCommunity], target: Decimal, low: float, high: float) -> None:
    """Explicit estimates at a per-m² rate between low and high, scaled to the target sum."""
    raw = []
    for c in communities:
        rate = rng.uniform(low, high) * (1.15 if c.is_demonstration else 1)  # elevators, smart community …
        raw.append(_area_of(c) * Decimal(str(round(rate, 2))))
    for community, estimate in zip(communities, _fit_decimals(raw, target), strict=True):
        community.investment_estimate = estimate


def _pick_subdistrict(rng) -> Subdistrict:
    return rng.choices(SUBDISTRICTS, weights=[s.weight for s in SUBDISTRICTS])[0]


def _batch_2021(rng, names: _Names) -> list[DemoCommunity]:
    communities = [DemoCommunity(name, BY_NAME[sub], kind, batch_year=2021, is_demonstration=demo,
                                 notes=DEMONSTRATION_NOTE if demo else "")
                   for name, sub, kind, demo in FEATURED]
    while len(communities) < BATCH_2021["communities"]:
        sub = _pick_subdistrict(rng)
        kind = rng.choice(("unit", "unit", "estate", "lane"))
        communities.append(DemoCommunity(names.take(sub, kind), sub, kind, batch_year=2021))
    kangjie, rest = communities[0], communities[1:]
    kangjie.notes = DEMONSTRATION_NOTE + KANGJIE_NOTE
    # 康杰中学家属院: eight buildings, all from the 1990s; building 1 is from 1992 with four storeys.
    kangjie.buildings = [DemoBuilding("1号楼", 1992, 4, 3, 24)]
    for number in range(2, 9):
        kangjie.buildings.append(_building(rng, number, rng.randint(1990, 1999), "block"))
    for community, count in zip(rest, _spread(rng, BATCH_2021["buildings"] - 8, len(rest)), strict=True):
        _add_buildings(rng, community, count, _year_weighted(rng, 1980, 2000))
    return communities


def _later_batches(rng, names: _Names) -> list[DemoCommunity]:
    communities = []
    for year, count in LATER_BATCHES.items():
        for _ in range(count):
            sub = _pick_subdistrict(rng)
            kind = rng.choice(("unit", "unit", "estate", "estate", "lane"))
            communities.append(DemoCommunity(names.take(sub, kind), sub, kind, batch_year=year))
    buildings = ELIGIBLE["buildings"] - BATCH_2021["buildings"]
    for community, count in zip(communities, _spread(rng, buildings, len(communities), high=6), strict=True):
        _add_buildings(rng, community, count, _year_weighted(rng, 1978, 2000))
    return communities


def _excluded(rng, names: _Names) -> list[DemoCommunity]:
    communities = []
    for reason, count in EXCLUDED.items():
        for _ in range(count):
            sub = _pick_subdistrict(rng)
            if reason == ExclusionReason.THREE_SUPPLIES:
                # 三供一业: state enterprises hand their staff housing's utilities and management over.
                c = DemoCommunity(names.take(sub, "unit", THREE_SUPPLIES_UNITS), sub, "unit", reason)
                _add_buildings(rng, c, rng.randint(1, 5), _year_weighted(rng, 1980, 1998))
            elif reason == ExclusionReason.DANGEROUS_BUILDING:
                kind = rng.choice(("unit", "unit", "lane"))
                c = DemoCommunity(names.take(sub, kind), sub, kind, reason)
                _add_buildings(rng, c, rng.randint(1, 2), rng.randint(1978, 1986))
            else:
                kind = "area" if reason == ExclusionReason.SHANTY_TOWN else "lane"
                c = DemoCommunity(names.take(sub, kind), sub, kind, reason)
                _add_buildings(rng, c, rng.randint(2, 6), rng.randint(1978, 1992), kind="rows")
            communities.append(c)
    for community in communities:
        for building in community.buildings:
            # Row houses and old flats are small: 55–95 m² a household.
            building.floor_area_m2 = (building.households * random_decimal(rng, 55, 95)).quantize(CENT)
    return communities


def build_communities() -> list[DemoCommunity]:
    """The 390 communities with their buildings, fitted to the published figures, in code order."""
    rng = random.Random(SEED)
    names = _Names(rng)
    batch_2021 = _batch_2021(rng, names)
    later = _later_batches(rng, names)
    _fit_buildings(rng, batch_2021, BATCH_2021["households"], BATCH_2021["floor_area_m2"])
    _fit_buildings(rng, later, ELIGIBLE["households"] - BATCH_2021["households"],
                   ELIGIBLE["floor_area_m2"] - BATCH_2021["floor_area_m2"])
    _set_estimates(rng, batch_2021, BATCH_2021["investment"], 480, 560)
    # 2022 has its schemes costed; later years stay on the district default per m². The 2022 estimates take
    # up whatever the default leaves to reach the district's 1.2 bn.
    in_2022 = [c for c in later if c.batch_year == 2022]
    on_default = sum((_area_of(c) for c in later if c.batch_year != 2022), Decimal(0)) * COST_PER_M2
    _set_estimates(rng, in_2022, ELIGIBLE["investment"] - BATCH_2021["investment"] - on_default, 650, 740)
    communities = batch_2021 + later + _excluded(rng, names)
    order = {s.code: i for i, s in enumerate(SUBDISTRICTS)}
    communities.sort(key=lambda c: order[c.subdistrict.code])  # stable: keeps generation order inside each
    for number, community in enumerate(communities, start=1):
        community.code = f"YH{number:03d}"
        community.address = _address(rng, community)
    return communities


def _address(rng, community: DemoCommunity) -> str:
    if community.kind == "lane":
        return "盐湖区" + community.name.removesuffix("院")  # 槐东巷3号院 lies at 槐东巷3号
    # A name that carries a street (农行家属院(槐东路), 潞村街小区) is addressed on that street.
    streets = community.subdistrict.streets
    named = [s for s in streets if s[:-1] in community.name]
    return f"盐湖区{named[0] if named else rng.choice(streets)}{rng.randint(1, 300)}号"
