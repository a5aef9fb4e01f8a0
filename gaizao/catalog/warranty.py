"""When a work item's warranty ends, counted from a project's completion acceptance (建设工程质量管理条例 art. 40).

The end is always computed from the acceptance date as it stands (a corrected acceptance moves it), never typed
or stored. A defect reported on the end day is still within the warranty.
"""

import datetime

from django.utils.translation import gettext as _

from gaizao.catalog.models import WarrantyKind

# Yuncheng's heating season runs from 15 November to 15 March (the city announces it each autumn; these are its
# usual dates, and a district elsewhere changes them here). Art. 40 counts heating work in heating seasons because
# a fault shows only when the heat is on: a season that began before the acceptance was not a full season of
# use, so it is not counted.
HEATING_SEASON_START = (11, 15)  # month, day
HEATING_SEASON_END = (3, 15)  # of the following year


def _years_later(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def heating_season_start(year: int) -> datetime.date:
    return datetime.date(year, *HEATING_SEASON_START)


def first_heating_season(accepted: datetime.date) -> int:
    """The year in which the first heating season counted for this acceptance starts (one starting on the day of
    the acceptance counts: the works were accepted before the heat came on)."""
    return accepted.year if accepted <= heating_season_start(accepted.year) else accepted.year + 1


def warranty_end(kind: str, number: int, accepted: datetime.date) -> datetime.date:
    """The last day of the warranty: `number` years after `accepted`, or the end of the `number`th heating season
    starting after it."""
    if kind == WarrantyKind.HEATING_SEASONS:
        last_start = first_heating_season(accepted) + number - 1
        return datetime.date(last_start + 1, *HEATING_SEASON_END)
    return _years_later(accepted, number)


def item_warranty_end(item, accepted: datetime.date | None) -> datetime.date | None:
    """The end for a catalogue item (WorkItem) accepted on `accepted`; None when not accepted."""
    if accepted is None:
        return None
    return warranty_end(item.warranty_kind, item.warranty_number, accepted)


def within(item, accepted: datetime.date | None, day: datetime.date) -> bool:
    """Whether `day` is inside the item's warranty (False before an acceptance)."""
    end = item_warranty_end(item, accepted)
    return end is not None and accepted <= day <= end


def period_text(kind: str, number: int) -> str:
    """5年 / 2个采暖期 in Chinese; 5 years / 2 heating seasons in English."""
    if kind == WarrantyKind.HEATING_SEASONS:
        return _("1 heating season") if number == 1 else _("%(n)s heating seasons") % {"n": number}
    return _("1 year") if number == 1 else _("%(n)s years") % {"n": number}
