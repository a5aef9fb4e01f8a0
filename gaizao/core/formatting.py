"""Numbers and dates the way officials write them: 2.12万户, 12亿元, 196万平方米, 2021年11月25日.

In English the same figures read 21,200 households, 1.2 billion yuan, 1,960,000 m².
"""

import datetime
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def _chinese() -> bool:
    return (translation.get_language() or "zh-hans").startswith("zh")


def _trim(value: float, digits: int) -> str:
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def grouped(value, digits: int = 0) -> str:
    """Thousands separators: 1960000 -> 1,960,000."""
    if value is None or value == "":
        return "—"
    return _trim(float(value), digits)


def chinese_magnitude(value, digits: int = 2) -> str:
    """1200000000 -> 12亿, 21200 -> 2.12万, 4936 -> 4,936 (no unit)."""
    if value is None or value == "":
        return "—"
    number = float(value)
    if abs(number) >= 1e8:
        return _trim(number / 1e8, digits) + "亿"
    if abs(number) >= 1e4:
        return _trim(number / 1e4, digits) + "万"
    return _trim(number, digits if number != int(number) else 0)


def count(value, unit_zh: str = "", unit_en: str = "") -> str:
    if _chinese():
        return chinese_magnitude(value) + unit_zh
    return grouped(value) + (f" {unit_en}" if unit_en else "")


def money(value) -> str:
    """Yuan: 2.36亿元 / 236 million yuan."""
    if value is None:
        return "—"
    if _chinese():
        return chinese_magnitude(value) + "元"
    number = float(value)
    if abs(number) >= 1e9:
        return _trim(number / 1e9, 2) + " billion yuan"
    if abs(number) >= 1e6:
        return _trim(number / 1e6, 2) + " million yuan"
    return grouped(number) + " yuan"


def area(value) -> str:
    """Square metres: 44.5万平方米 / 445,000 m²."""
    if value is None:
        return "—"
    if _chinese():
        return chinese_magnitude(value) + "平方米"
    return grouped(value) + " m²"


def margin(owners, area_m2) -> str:
    """A vote's margin in words: 还差 55 户、3,881.04 平方米 / short by 55 owners, 3,881.04 m² (and what is ahead)."""

    short, ahead = [], []
    for value, text in ((owners, lambda v: _("%(n)s owners") % {"n": grouped(v)}),
                        (area_m2, lambda v: _("%(m2)s m²") % {"m2": grouped(v, 2)})):
        if value is None:
            continue
        (short if float(value) < 0 else ahead).append(text(abs(float(value))))
    glue = pgettext("list of figures", ", ")
    said = []
    if short:
        said.append(_("short by %(figures)s") % {"figures": glue.join(short)})
    if ahead:
        said.append(_("ahead by %(figures)s") % {"figures": glue.join(ahead)})
    return pgettext("between clauses", "; ").join(said)


def date(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        # The platform's time zone (Asia/Shanghai), not the server's: midnight in Yuncheng is still that day.
        value = value.date() if value.tzinfo is None else timezone.localtime(value).date()
    if _chinese():
        return f"{value.year}年{value.month}月{value.day}日"
    return value.strftime("%-d %b %Y")


def to_decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
