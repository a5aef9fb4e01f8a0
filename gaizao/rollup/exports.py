"""The roll-up as Excel: the ranking of the page, with the area's total."""

from django.utils.translation import gettext as _

from gaizao.core import excel
from gaizao.regions.models import Area
from gaizao.rollup.services import Row, rows_under


def headers() -> list[str]:
    return [_("Rank"), _("Area"), _("Level"), _("Projects"), _("Started"), _("Completed"),
            _("Start rate (percent)"), _("Planned value (yuan)"), _("Value done (yuan)"),
            _("Share of value done (percent)"), _("Target (percent)"),
            _("Work items"), _("Work items complete"), _("Share of work items complete (percent)"),
            _("Households benefited"), _("Satisfaction answers"), _("Satisfaction (percent)"), _("Feedback open"),
            _("Feedback overdue")]


def _pct(value):
    return None if value is None else round(value * 100, 2)


def as_row(row: Row, rank) -> list:
    v = row.values
    return [rank, row.name, str(Area.Level(row.level).label), v["projects"], v["started"], v["completed"],
            _pct(v["start_rate"]), round(float(v["planned_value"]), 2), round(float(v["done_value"]), 2),
            _pct(v["share"]), _pct(v["target_share"]), v["items"], v["items_done"], _pct(v["quantity_share"]),
            v["households"], v["responses"], _pct(v["satisfaction"]), v["feedback_open"], v["feedback_overdue"]]


def rollup_workbook(top: Row, day):
    workbook = excel.new_workbook()
    rows = [as_row(top, _("Total"))] + [as_row(r, r.rank) for r in rows_under(top)]
    excel.add_sheet(workbook, f"{day:%Y-%m-%d}", headers(), rows, {2: 20})
    return workbook
