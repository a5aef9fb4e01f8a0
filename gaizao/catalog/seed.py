"""The catalog shipped with gaizao: the items on the Yanhu newspaper page and the national tiers.

Costs are typical 2021 figures for Shanxi (yuan per unit); every district edits them.
"""

# code, name, tier, group, unit, rule, after_basic, unit cost
ITEMS = [
    ("JC01", "违章建筑拆除", "improvement", "environment", "m2", "none", False, 80),
    ("JC02", "塑钢窗更换", "improvement", "exterior", "household", "households", False, 4500),
    ("JC03", "外墙保温", "improvement", "exterior", "m2", "facade_area", False, 180),
    ("JC04", "屋面防水", "basic", "exterior", "m2", "roof_area", False, 120),
    ("JC05", "楼梯间涂料粉刷", "basic", "interior", "m2", "stairwell_area", False, 25),
    ("JC06", "外墙涂料粉刷", "basic", "exterior", "m2", "facade_area", False, 45),
    ("JC07", "强弱电管沟及线路入地", "basic", "infrastructure", "m", "pipe_length", False, 600),
    ("JC08", "污水管道改造", "basic", "infrastructure", "m", "pipe_length", False, 800),
    ("JC09", "雨污分流", "basic", "infrastructure", "m", "pipe_length", False, 900),
    ("JC10", "供暖管网改造", "basic", "infrastructure", "m", "pipe_length", False, 650),
    ("JC11", "供水管网改造", "basic", "infrastructure", "m", "pipe_length", False, 450),
    ("JC12", "燃气管道改造", "basic", "infrastructure", "m", "none", False, 500),
    ("JC13", "小区道路修缮", "basic", "environment", "m2", "none", False, 220),
    ("JC14", "消防设施", "basic", "infrastructure", "lump_sum", "one", False, 80000),
    ("JC15", "楼体基础梁加固", "basic", "exterior", "m", "none", False, 1200),
    ("JC16", "单元门更换", "basic", "interior", "door", "stairwell_units", False, 6000),
    ("JC17", "垃圾分类收集点", "basic", "environment", "piece", "one", False, 30000),
    ("WS01", "绿化提升", "improvement", "environment", "m2", "none", False, 150),
    ("WS02", "路灯照明", "improvement", "environment", "lamp", "buildings", False, 3500),
    ("WS03", "停车位施划", "improvement", "environment", "piece", "none", False, 8000),
    ("WS04", "电动车充电桩", "improvement", "services", "piece", "none", False, 5000),
    ("WS05", "无障碍设施", "improvement", "environment", "lump_sum", "one", False, 50000),
    ("WS06", "加装电梯", "improvement", "services", "elevator", "none", True, 600000),
    ("TS01", "智慧社区", "upgrade", "services", "lump_sum", "one", True, 300000),
    ("TS02", "休闲广场", "upgrade", "environment", "m2", "none", True, 400),
    ("TS03", "社区养老服务用房", "upgrade", "services", "lump_sum", "none", True, 500000),
    ("TS04", "快递柜及便民服务点", "upgrade", "services", "piece", "none", True, 20000),
]
COSTS_FROM = "2021-01-01"

# Minimum warranty periods from completion acceptance, 建设工程质量管理条例 art. 40: roof waterproofing and the
# leak-proofing of outer walls and of rooms that must keep water out 5 years; heating 2 heating seasons;
# electrical lines, water supply and drainage pipes, equipment installation and finishing 2 years. The article
# leaves other work to the contract, so everything else starts at those 2 years too; bureau staff change any.
YEARS, HEATING_SEASONS = "years", "heating_seasons"
OTHER_WARRANTY = (YEARS, 2)
WARRANTIES = {
    "JC03": (YEARS, 5),  # 外墙保温: it keeps the outer wall from seeping; 民用建筑节能条例 also asks 5 years of it
    "JC04": (YEARS, 5),  # 屋面防水
    "JC10": (HEATING_SEASONS, 2),  # 供暖管网改造
    # 楼体基础梁加固 is the main structure: art. 40 (1) gives it the design life, 50 years for ordinary houses.
    "JC15": (YEARS, 50),
}
# A district's own items (other codes) by the words in their names, checked in this order.
WARRANTY_WORDS = [
    (("防水", "防渗", "渗漏", "保温"), (YEARS, 5)),
    (("供暖", "供热", "采暖", "暖气"), (HEATING_SEASONS, 2)),
    (("地基", "基础梁", "主体结构"), (YEARS, 50)),
]


def default_warranty(code: str, name: str) -> tuple[str, int]:
    """(kind, number) of an item's warranty as art. 40 sets it, by the shipped code, else by its name."""
    if code in WARRANTIES:
        return WARRANTIES[code]
    for words, warranty in WARRANTY_WORDS:
        if any(word in (name or "") for word in words):
            return warranty
    return OTHER_WARRANTY


def seed(work_item_model, unit_cost_model, using: str = "default") -> int:
    """Create the shipped items that are missing (existing ones are left as staff edited them).

    Takes the model classes so the data migration can pass its historical models.
    """
    import datetime
    from decimal import Decimal

    valid_from = datetime.date.fromisoformat(COSTS_FROM)
    # The first data migration's model has no warranty yet; a later one sets it on the items made here.
    has_warranty = any(field.name == "warranty_kind" for field in work_item_model._meta.get_fields())
    created = 0
    for code, name, tier, group, unit, rule, after_basic, yuan in ITEMS:
        defaults = {"name": name, "tier": tier, "content_group": group, "unit": unit, "quantity_rule": rule,
                    "after_basic": after_basic}
        if has_warranty:
            defaults["warranty_kind"], defaults["warranty_number"] = default_warranty(code, name)
        item, new = work_item_model.objects.using(using).get_or_create(code=code, defaults=defaults)
        if new:
            unit_cost_model.objects.using(using).create(item=item, valid_from=valid_from, yuan=Decimal(yuan))
            created += 1
    return created
