"""The accepted communities' list as a workbook: the rows the page filtered, contacts as the user may see them."""

from django.utils.translation import gettext as _

from gaizao.core import excel
from gaizao.works.bulletin_text import clean


def _number(value):
    return None if value is None else float(value)


def arrangements_xlsx(rows: list[dict], day):
    workbook = excel.new_workbook()
    lines = []
    for row in rows:
        community, arrangement = row["community"], row["arrangement"]
        lines.append([
            community.code, clean(community.name), clean(community.subdistrict.name), community.accepted_on,
            row["days"], _("yes") if row["overdue"] else "",
            str(arrangement.get_kind_display()) if arrangement else _("No arrangement"),
            clean(arrangement.body_name) if arrangement else "", clean(row["contact"]), clean(row["phone"]),
            arrangement.since if arrangement else None,
            _number(arrangement.fee_per_m2_month) if arrangement else None,
            _number(arrangement.collection_rate) if arrangement else None,
            (_("yes") if arrangement.has_maintenance_fund else _("no")) if arrangement else "",
            _number(arrangement.fund_balance) if arrangement else None,
        ])
    sheet = excel.add_sheet(workbook, _("Long-term management"), [
        _("Community code"), _("Community"), _("Sub-district"), _("Acceptance date"), _("Days since acceptance"),
        _("Flagged"), _("Kind of management"), _("Managing body"), _("Contact person"), _("Contact phone"),
        _("In place since (date)"), _("Fee (yuan per m² a month)"), _("Collection rate (percent)"),
        _("Maintenance fund"), _("Fund balance (yuan)")], lines, {2: 24, 7: 26, 8: 30, 12: 14})
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if cell.column in (4, 11) and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
            elif cell.column in (12, 13, 15) and cell.value is not None:
                cell.number_format = "#,##0.00"
    return excel.response(workbook, f"长效管理_{day:%Y%m%d}.xlsx")
