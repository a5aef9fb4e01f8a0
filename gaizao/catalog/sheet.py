"""The catalog as a workbook (sheet 改造内容): export, and import that is all-or-nothing."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gaizao.catalog.models import ContentGroup, QuantityRule, Tier, Unit, WarrantyKind, WorkItem
from gaizao.catalog.seed import default_warranty
from gaizao.catalog.services import save_item, set_cost, with_cost_on
from gaizao.core import clock, excel
from gaizao.core.sheets import Column, RowError, choice, decimal, integer, parse_rows, text, word_for, yes_no

SHEET = "改造内容"
TIER_WORDS = {"基础类": Tier.BASIC, "完善类": Tier.IMPROVEMENT, "提升类": Tier.UPGRADE}
GROUP_WORDS = {"建筑外部修缮": ContentGroup.EXTERIOR, "楼内公共修缮": ContentGroup.INTERIOR,
               "基础设施改造": ContentGroup.INFRASTRUCTURE, "公共环境改造": ContentGroup.ENVIRONMENT,
               "服务设施改造": ContentGroup.SERVICES}
UNIT_WORDS = {"平方米": Unit.SQUARE_METRE, "m²": Unit.SQUARE_METRE, "米": Unit.METRE, "户": Unit.HOUSEHOLD,
              "部": Unit.ELEVATOR, "个": Unit.PIECE, "樘": Unit.DOOR, "盏": Unit.LAMP, "项": Unit.LUMP_SUM}
RULE_WORDS = {"手工填写": QuantityRule.NONE, "户数": QuantityRule.HOUSEHOLDS, "外墙面积": QuantityRule.FACADE_AREA,
              "屋面面积": QuantityRule.ROOF_AREA, "楼梯间面积": QuantityRule.STAIRWELL_AREA,
              "建筑面积": QuantityRule.FLOOR_AREA, "楼栋数": QuantityRule.BUILDINGS,
              "单元数": QuantityRule.STAIRWELL_UNITS, "管线长度": QuantityRule.PIPE_LENGTH,
              "每小区一项": QuantityRule.ONE}
WARRANTY_WORDS = {"年": WarrantyKind.YEARS, "采暖期": WarrantyKind.HEATING_SEASONS}


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    from gaizao.core.sheets import CellError

    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise CellError(_("Write a date such as 2021-01-01.")) from None


COLUMNS = [
    Column("编码", "code", text(20), required=True),
    Column("名称", "name", text(100), required=True),
    Column("类别", "tier", choice(TIER_WORDS), required=True),
    Column("改造内容分类", "content_group", choice(GROUP_WORDS), required=True),
    Column("单位", "unit", choice(UNIT_WORDS), required=True),
    Column("单价(元)", "yuan", decimal(2, low=0, high=10**9, low_inclusive=False), required=True),
    Column("单价生效日期", "valid_from", _date, required=True),
    Column("工程量测算", "quantity_rule", choice(RULE_WORDS), blank=QuantityRule.NONE),
    Column("后于基础类实施", "after_basic", yes_no, blank=False),
    Column("启用", "active", yes_no, blank=True),
    # Optional, so older exports still import: an empty cell keeps the item's period (a new item: art. 40's).
    Column("保修期", "warranty_number", integer(1, 100)),
    Column("保修期单位", "warranty_kind", choice(WARRANTY_WORDS)),
]


def catalog_workbook(day: datetime.date | None = None):
    day = day or clock.today()
    items = with_cost_on(WorkItem.objects.all(), day).order_by("code")
    rows = [[i.code, i.name, word_for(TIER_WORDS, i.tier), word_for(GROUP_WORDS, i.content_group),
             word_for(UNIT_WORDS, i.unit), float(i.unit_cost) if i.unit_cost is not None else None,
             _cost_date(i, day), word_for(RULE_WORDS, i.quantity_rule), "是" if i.after_basic else "否",
             "是" if i.active else "否", i.warranty_number, word_for(WARRANTY_WORDS, i.warranty_kind)]
            for i in items]
    workbook = excel.new_workbook()
    excel.add_sheet(workbook, SHEET, [c.header for c in COLUMNS], rows, {2: 24, 4: 14, 7: 14, 8: 12})
    return workbook


def _cost_date(item, day):
    cost = item.costs.filter(valid_from__lte=day).order_by("-valid_from").first()
    return cost.valid_from if cost else None


@dataclass
class CatalogImport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    costs: int = 0


def import_catalog(file, actor) -> CatalogImport:
    """Upsert items by 编码 and add the costs that differ; any bad row and nothing is written."""
    result = CatalogImport()
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # a damaged or foreign file
        result.errors.append(RowError("", 0, "", _("This file is not an Excel workbook (.xlsx).")))
        return result
    if SHEET not in workbook.sheetnames:
        result.errors.append(RowError(SHEET, 0, "", _("The sheet is missing; start from the exported catalog.")))
        return result
    rows = workbook[SHEET].iter_rows(values_only=True)
    parsed = parse_rows(SHEET, COLUMNS, list(next(rows, None) or []), rows, result.errors)
    workbook.close()
    seen = set()
    for number, values in parsed.rows:
        if values.get("code") in seen:
            result.errors.append(RowError(SHEET, number, "编码", _("This code appears twice in the sheet.")))
        seen.add(values.get("code"))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for number, values in parsed.rows:
                try:
                    _upsert(values, actor, result)
                except ValidationError as error:
                    result.errors.append(RowError(SHEET, number, "", " ".join(error.messages)))
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = result.updated = result.costs = 0
    return result


class _Rollback(Exception):
    pass


def _upsert(values, actor, result):
    item = WorkItem.objects.filter(code=values["code"]).first() or WorkItem(code=values["code"])
    fields = {k: values[k] for k in ("name", "tier", "content_group", "unit", "quantity_rule", "after_basic",
                                     "active") if k in values}
    fields.update({k: values[k] for k in ("warranty_number", "warranty_kind") if values.get(k) is not None})
    if item.pk is None:
        kind, number = default_warranty(values["code"], values.get("name", ""))
        fields.setdefault("warranty_kind", kind)
        fields.setdefault("warranty_number", number)
    if item.pk is None or any(getattr(item, k) != v for k, v in fields.items()):
        result.created += item.pk is None
        result.updated += item.pk is not None
        for key, value in fields.items():
            setattr(item, key, value)
        save_item(actor, item)
    current = item.costs.filter(valid_from=values["valid_from"]).first()
    if current is None or current.yuan != values["yuan"]:
        set_cost(actor, item, values["valid_from"], values["yuan"])
        result.costs += 1
