"""The bulletin as an Excel workbook: 汇总, 办事处排名 (with a bar chart), 滞后项目, 工程量."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gaizao.core import excel
from gaizao.works.bulletin_text import place_header

PERCENT_FORMAT = "0.00%"
MONEY_FORMAT = "#,##0.00"
QUANTITY_FORMAT = "quantity"


def _number(value):
    return None if value is None else round(float(value), 4)


def _formats(sheet, formats: dict[int, str]):
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column in formats and isinstance(cell.value, int | float):
                wanted = formats[cell.column]
                if wanted == QUANTITY_FORMAT:  # 3,710 but 245.5: no trailing zeros or dot
                    wanted = "#,##0" if float(cell.value).is_integer() else "#,##0.00"
                cell.number_format = wanted


def bulletin_xlsx(data: dict) -> bytes:
    """The bulletin as a workbook: 汇总, 办事处排名 (with a bar chart), 滞后项目, 工程量."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList

    workbook = excel.new_workbook()
    d, m = data["district"], data["milestone"]
    rows = [
        (_("Bulletin"), data["title"], None),
        (_("Date"), data["day"], "yyyy-mm-dd"),
        (_("District"), d["name"], None),
        (_("Projects"), d["projects"], None),
        (_("Started"), d["started"], None),
        (_("Not started"), d["not_started"], None),
        (_("Start rate"), _number(d["start_rate"]), PERCENT_FORMAT),
        (_("Planned value (yuan)"), _number(d["planned_value"]), MONEY_FORMAT),
        (_("Value done (yuan)"), _number(d["done_value"]), MONEY_FORMAT),
        (_("Share of value done"), _number(d["share"]), PERCENT_FORMAT),
        (_("Open feedback"), d["feedback_open"], None),
        (_("Overdue feedback"), d["feedback_overdue"], None),
    ]
    if m is not None:
        rows += [
            (_("Milestone date"), m["date"], "yyyy-mm-dd"),
            (_("Milestone target"), m["target_share"], PERCENT_FORMAT),
            (_("Forecast at the milestone"), _number(m["forecast_share"]), PERCENT_FORMAT),
            (_("Shortfall (yuan)"), _number(m["shortfall"]), MONEY_FORMAT),
            (_("Projects at risk"), m["projects_at_risk"], None),
        ]
    rows.append((_("Summary"), data["paragraph"], None))
    if data["milestone_paragraph"]:
        rows.append((_("Milestone"), data["milestone_paragraph"], None))
    rows.append((_("Quantities done"), data["items_paragraph"], None))
    rows.append((_("Residents' feedback"), data["feedback_paragraph"], None))
    sheet = excel.add_sheet(workbook, _("Summary"), [pgettext("bulletin", "Item"), pgettext("bulletin", "Value")],
                            [[label, value] for label, value, _format in rows], {1: 24, 2: 80})
    for index, (_label, _value, number_format) in enumerate(rows, start=2):
        if number_format:
            sheet.cell(row=index, column=2).number_format = number_format

    headers = [_("Rank"), place_header(data["level"]), _("Projects"), _("Started"), _("Start rate"),
               _("Start-rate rank"), _("Planned value (yuan)"), _("Value done (yuan)"), _("Share of value done"),
               _("Forecast at the milestone"), _("Open feedback"), _("Overdue feedback")]
    sheet = excel.add_sheet(workbook, _("District ranking") if data["level"] == "district"
                            else _("Sub-district ranking"), headers, [
        [s["rank"], s["name"], s["projects"], s["started"], _number(s["start_rate"]), s["start_rank"],
         _number(s["planned_value"]), _number(s["done_value"]), _number(s["share"]), _number(s["forecast_share"]),
         s["feedback_open"], s["feedback_overdue"]]
        for s in data["subdistricts"]], {2: 18, 7: 18, 8: 18})
    _formats(sheet, {5: PERCENT_FORMAT, 7: MONEY_FORMAT, 8: MONEY_FORMAT, 9: PERCENT_FORMAT, 10: PERCENT_FORMAT})
    if data["subdistricts"]:
        chart = BarChart()
        chart.type = "bar"
        chart.style = 10
        chart.title = _("Share of value done")
        chart.y_axis.number_format = "0%"
        chart.y_axis.majorGridlines = None
        chart.legend = None
        last = len(data["subdistricts"]) + 1
        chart.add_data(Reference(sheet, min_col=9, min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=2, min_row=2, max_row=last))
        chart.x_axis.scaling.orientation = "maxMin"  # rank 1 at the top, as in the table
        chart.dataLabels = DataLabelList()
        chart.dataLabels.showVal = True
        chart.height, chart.width = max(7.5, 1.1 * len(data["subdistricts"]) + 2), 16
        sheet.add_chart(chart, f"B{last + 3}")

    headers = [_("Project code"), _("Project"), _("Sub-district"), _("Contractor"), pgettext("bulletin", "Status"),
               _("Share of value done"), _("Forecast at the milestone"), _("Shortfall (yuan)")]
    sheet = excel.add_sheet(workbook, _("Lagging projects"), headers, [
        [p["code"], p["name"], p["subdistrict"], p["contractor"], p["reason"], _number(p["share"]),
         _number(p["forecast_share"]), _number(p["shortfall"])] for p in data["lagging"]],
        {2: 36, 3: 16, 4: 30, 5: 16})
    _formats(sheet, {6: PERCENT_FORMAT, 7: PERCENT_FORMAT, 8: MONEY_FORMAT})

    headers = [_("Code"), _("Work item"), _("Unit"), _("Planned"), _("Done"), _("Share done"), _("Value done (yuan)"),
               _("In the bulletin")]
    sheet = excel.add_sheet(workbook, _("Quantities"), headers, [
        [i["code"], i["name"], i["unit_label"], _number(i["planned"]), _number(i["done"]), _number(i["share"]),
         _number(i["done_value"]), i["text"]] for i in data["items"]], {2: 24, 7: 18, 8: 32})
    _formats(sheet, {4: QUANTITY_FORMAT, 5: QUANTITY_FORMAT, 6: PERCENT_FORMAT, 7: MONEY_FORMAT})

    from gaizao.coordination.bulletin import xlsx_section  # the joint meeting builds on works: a late import

    xlsx_section(workbook, data["coordination"])

    from gaizao.aftercare.bulletin import xlsx_section as aftercare_xlsx  # builds on works: a late import

    aftercare_xlsx(workbook, data["aftercare"])

    from gaizao.defects.bulletin import xlsx_section as defects_xlsx  # builds on works: a late import

    defects_xlsx(workbook, data["defects"])
    return excel.to_bytes(workbook)
