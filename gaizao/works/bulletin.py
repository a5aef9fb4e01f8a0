"""The progress bulletin (进度通报): district totals, sub-district ranking, lagging projects, item totals.

`bulletin_data` gathers the figures once; the web page, the Word file and the Excel file all show that same
dictionary, so the three never disagree. Every figure comes from the progress measures (never typed in).
"""

import datetime
import re
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gaizao.catalog.models import Unit
from gaizao.core import excel, formatting
from gaizao.participation import feedback as feedback_service
from gaizao.regions.models import Area
from gaizao.works import measures
from gaizao.works.measures import ZERO, forecasts, measures_on
from gaizao.works.models import Milestone

BAR_WIDTH = 20  # █ characters for 100 % in the Word file's chart column
# Characters Word and Excel files cannot hold (XML 1.0 forbids most control characters).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Newspaper units: 户, 平方米, 米 … in Chinese; plural English words otherwise.
UNIT_WORDS = {
    Unit.SQUARE_METRE: ("平方米", "m²"),
    Unit.METRE: ("米", "m"),
    Unit.HOUSEHOLD: ("户", "households"),
    Unit.ELEVATOR: ("部", "elevators"),
    Unit.PIECE: ("个", "pieces"),
    Unit.DOOR: ("樘", "doors"),
    Unit.LAMP: ("盏", "lamps"),
    Unit.LUMP_SUM: ("项", "lots"),
}


def clean(text) -> str:
    """User text as plain text a document can hold (markup and formulas are escaped by the writers)."""
    return _ILLEGAL.sub("", "" if text is None else str(text))


def percent(share, digits: int = 2) -> str:
    return f"{float(share) * 100:.{digits}f}%"


def bar(share) -> str:
    """A bar of █ characters for a share (a chart that survives any Word processor)."""
    filled = round(min(max(float(share), 0.0), 1.0) * BAR_WIDTH)
    return "█" * filled


def quantity_text(value, unit: str) -> str:
    """3,710户 / 12.3万平方米 in Chinese; 3,710 households / 123,000 m² in English."""
    zh, en = UNIT_WORDS.get(unit, ("", unit))
    return formatting.count(value, zh, en)


def latest_entry_date(projects) -> datetime.date | None:
    """The newest date any visible project reported work on (the demo lives in 2021)."""
    return measures.latest_entry_date(projects)


def district_milestone(day: datetime.date, district=None) -> Milestone | None:
    """The district milestone nearest on or after the day, if there is one."""
    milestones = Milestone.objects.filter(area__level=Area.Level.DISTRICT, date__gte=day)
    if district is not None:
        milestones = milestones.filter(area=district)
    return milestones.order_by("date", "pk").first()


def filename(day: datetime.date, extension: str) -> str:
    return f"进度通报_{day:%Y%m%d}.{extension}"


def _district_for(subdistrict_ids):
    parents = list(Area.objects.filter(pk__in=subdistrict_ids, parent__level=Area.Level.DISTRICT)
                   .values_list("parent", flat=True).distinct())
    if len(parents) == 1:
        return Area.objects.get(pk=parents[0])
    districts = Area.objects.filter(level=Area.Level.DISTRICT)
    return districts.first() if districts.count() == 1 else None


def _competition_ranks(rows, key, field):
    """1, 1, 3 …: equal values share a rank."""
    previous, rank = None, 0
    for position, row in enumerate(sorted(rows, key=key), start=1):
        value = key(row)[0]
        if value != previous:
            rank, previous = position, value
        row[field] = rank


def bulletin_data(day: datetime.date, projects, milestone: Milestone | None = None) -> dict:
    """The bulletin's figures on `day` for these projects, with forecasts at `milestone` when one is given."""
    measures = measures_on(day, projects)
    feedback = feedback_service.counts(projects, day)
    district = _district_for([s["id"] for s in measures.subdistricts])
    district_name = district.name if district else _("The district")
    found = {f.project["id"]: f for f in forecasts(day, milestone, projects, now=measures)} if milestone else {}

    per_sub_forecast: dict[str, dict] = {}
    for forecast in found.values():
        bucket = per_sub_forecast.setdefault(forecast.project["subdistrict"], {"forecast": ZERO, "target": ZERO})
        bucket["forecast"] += forecast.forecast_value
        bucket["target"] += forecast.target_value

    subdistricts = []
    for sub in measures.subdistricts:
        row = {
            "rank": sub["rank"], "code": sub["code"], "name": clean(sub["name"]), "projects": sub["projects"],
            "started": sub["started"], "not_started": sub["projects"] - sub["started"],
            "start_rate": sub["start_rate"], "planned_value": sub["planned_value"],
            "done_value": sub["done_value"], "share": sub["share"], "bar": bar(sub["share"]),
            "forecast_share": None, "at_risk": False,
            "feedback_open": feedback["subdistricts"].get(sub["id"], {}).get("open", 0),
            "feedback_overdue": feedback["subdistricts"].get(sub["id"], {}).get("overdue", 0),
        }
        bucket = per_sub_forecast.get(sub["name"])
        if milestone and bucket is not None and sub["planned_value"]:
            row["forecast_share"] = float(bucket["forecast"] / sub["planned_value"])
            row["at_risk"] = bucket["forecast"] < bucket["target"]
        subdistricts.append(row)
    _competition_ranks(subdistricts, lambda s: (-s["start_rate"], s["rank"]), "start_rank")

    lagging = []
    for project in measures.projects:
        forecast = found.get(project["id"])
        behind = forecast is not None and forecast.at_risk
        if project["started"] and not behind:
            continue
        planned = project["planned_value"]
        lagging.append({
            "code": clean(project["code"]), "name": clean(project["name"]),
            "subdistrict": clean(project["subdistrict"]), "contractor": clean(project["contractor"]),
            "started": project["started"],
            "reason": _("Not started") if not project["started"] else _("Will miss the milestone"),
            "share": project["share"], "planned_value": planned, "done_value": project["done_value"],
            "forecast_share": float(forecast.forecast_value / planned) if forecast and planned else None,
            "shortfall": forecast.shortfall if forecast else None,
        })
    lagging.sort(key=lambda p: (p["started"], -(p["shortfall"] or ZERO), p["code"]))

    items = []
    for item in measures.items:
        done = item["done"]
        items.append({
            "code": item["code"], "name": clean(item["name"]), "unit": item["unit"],
            "unit_label": str(Unit(item["unit"]).label) if item["unit"] in Unit.values else item["unit"],
            "planned": item["planned"], "done": done, "done_value": item["done_value"],
            "share": float(done / item["planned"]) if item["planned"] else 0.0,
            "text": _("%(item)s %(quantity)s") % {"item": clean(item["name"]),
                                                   "quantity": quantity_text(done, item["unit"])},
        })
    done_items = [i["text"] for i in items if i["done"] > 0]

    totals = measures.district
    summary = {
        "name": district_name, "projects": totals["projects"], "started": totals["started"],
        "not_started": totals["projects"] - totals["started"], "start_rate": totals["start_rate"],
        "planned_value": totals["planned_value"], "done_value": totals["done_value"], "share": totals["share"],
        "feedback_open": feedback["district"]["open"], "feedback_overdue": feedback["district"]["overdue"],
    }
    milestone_data = None
    if milestone is not None:
        target = sum((f.target_value for f in found.values()), ZERO)
        forecast_value = sum((f.forecast_value for f in found.values()), ZERO)
        planned = totals["planned_value"]
        milestone_data = {
            "name": clean(milestone.name), "date": milestone.date, "target_share": float(milestone.target_share),
            "target_value": target, "forecast_value": forecast_value,
            "forecast_share": float(forecast_value / planned) if planned else 0.0,
            "shortfall": max(target - forecast_value, ZERO),
            "projects_at_risk": sum(1 for f in found.values() if f.at_risk),
        }

    data = {
        "day": day, "district": summary, "milestone": milestone_data, "subdistricts": subdistricts,
        "by_start_rate": sorted(subdistricts, key=lambda s: (s["start_rank"], s["rank"])),
        "lagging": lagging, "items": items, "communities": measures.communities,
        "title": _("%(district)s old community renovation progress bulletin (as of %(date)s)")
        % {"district": district_name, "date": formatting.date(day)},
    }
    data["paragraph"] = _district_paragraph(data)
    data["milestone_paragraph"] = _milestone_paragraph(data)
    data["feedback_paragraph"] = _feedback_paragraph(data)
    data["items_paragraph"] = (_("Work done so far: %(items)s.")
                               % {"items": pgettext("list separator", ", ").join(done_items)}
                               if done_items else _("No work reported yet."))
    return data


def _district_paragraph(data) -> str:
    d = data["district"]
    return _("As of %(date)s, %(started)s of the %(projects)s projects have started (%(start_rate)s); work worth "
             "%(done)s of the planned %(planned)s is done (%(share)s).") % {
        "date": formatting.date(data["day"]), "started": d["started"], "projects": d["projects"],
        "start_rate": percent(d["start_rate"]), "done": formatting.money(d["done_value"]),
        "planned": formatting.money(d["planned_value"]), "share": percent(d["share"])}


def _feedback_paragraph(data) -> str:
    d = data["district"]
    if not d["feedback_open"]:
        return _("Residents' feedback: no item is open.")
    return _("Residents' feedback: %(open)s items open, %(overdue)s of them past their due date without an "
             "answer.") % {"open": d["feedback_open"], "overdue": d["feedback_overdue"]}


def _milestone_paragraph(data) -> str:
    m = data["milestone"]
    if m is None:
        return ""
    values = {"target": percent(m["target_share"], 0), "date": formatting.date(m["date"]),
              "forecast": percent(m["forecast_share"]), "shortfall": formatting.money(m["shortfall"]),
              "count": m["projects_at_risk"]}
    if m["shortfall"] > 0:
        return _("Milestone: %(target)s of the planned value by %(date)s. At the pace of the last four weeks the "
                 "district will reach %(forecast)s, %(shortfall)s short; %(count)s projects are at risk.") % values
    return _("Milestone: %(target)s of the planned value by %(date)s. At the pace of the last four weeks the "
             "district will reach %(forecast)s and meet it.") % values


# Column headers shared by the page, the Word file and the Excel file.
def ranking_headers() -> list[str]:
    return [_("Rank"), _("Sub-district"), _("Projects"), _("Started"), _("Start rate"), _("Start-rate rank"),
            _("Value done"), _("Share of value done"), _("Open feedback"), _("Overdue feedback")]


def lagging_headers() -> list[str]:
    return [_("Project"), _("Sub-district"), _("Contractor"), pgettext("bulletin", "Status"),
            _("Share of value done"), _("Forecast at the milestone"), _("Shortfall")]


def item_headers() -> list[str]:
    return [_("Work item"), _("Unit"), _("Planned"), _("Done"), _("Share done")]


def _optional_percent(value) -> str:
    return "—" if value is None else percent(value)


# --- Word -------------------------------------------------------------------------------------------------


def _set_font(style_or_run, latin: str, east_asian: str, size=None, bold=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = style_or_run.font
    font.name = latin
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    properties = style_or_run.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asian)


def _table(document, headers, rows, numeric=()):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(header)
        run.bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, row, strict=True)):
            cell.text = clean(value)
            if index in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def bulletin_docx(data: dict) -> bytes:
    """The bulletin as a Word document officials forward (A4, headings, tables, a bar column as the chart)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    _set_font(document.styles["Normal"], "Times New Roman", "仿宋", size=12)
    for name in ("Title", "Heading 1", "Heading 2"):
        _set_font(document.styles[name], "Times New Roman", "黑体")
    document.core_properties.title = data["title"]

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(title.add_run(data["title"]), "Times New Roman", "黑体", size=18, bold=True)

    document.add_heading(_("1. District progress"), level=2)
    document.add_paragraph(data["paragraph"])
    if data["milestone_paragraph"]:
        document.add_paragraph(data["milestone_paragraph"])
    document.add_paragraph(data["feedback_paragraph"])

    document.add_heading(_("2. Sub-district ranking"), level=2)
    if data["subdistricts"]:
        _table(document, [*ranking_headers(), _("Chart")], [
            [s["rank"], s["name"], s["projects"], s["started"], percent(s["start_rate"]), s["start_rank"],
             formatting.money(s["done_value"]), percent(s["share"]), s["feedback_open"], s["feedback_overdue"],
             s["bar"]]
            for s in data["subdistricts"]], numeric={0, 2, 3, 4, 5, 6, 7, 8, 9})
    else:
        document.add_paragraph(_("No projects yet."))

    document.add_heading(_("3. Lagging projects"), level=2)
    if data["lagging"]:
        _table(document, lagging_headers(), [
            [f"{p['code']} {p['name']}", p["subdistrict"], p["contractor"], p["reason"], percent(p["share"]),
             _optional_percent(p["forecast_share"]),
             "—" if p["shortfall"] is None else formatting.money(p["shortfall"])]
            for p in data["lagging"]], numeric={4, 5, 6})
    else:
        document.add_paragraph(_("Every project has started and is on course for the milestone."))

    document.add_heading(_("4. Quantities done"), level=2)
    document.add_paragraph(data["items_paragraph"])
    if data["items"]:
        _table(document, item_headers(), [
            [i["name"], i["unit_label"], formatting.grouped(i["planned"], 2), formatting.grouped(i["done"], 2),
             percent(i["share"])] for i in data["items"]], numeric={2, 3, 4})

    note = document.add_paragraph(_("Computed from the contractors' progress reports up to %(date)s.")
                                  % {"date": formatting.date(data["day"])})
    note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Excel ------------------------------------------------------------------------------------------------

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

    headers = [_("Rank"), _("Sub-district"), _("Projects"), _("Started"), _("Start rate"), _("Start-rate rank"),
               _("Planned value (yuan)"), _("Value done (yuan)"), _("Share of value done"),
               _("Forecast at the milestone"), _("Open feedback"), _("Overdue feedback")]
    sheet = excel.add_sheet(workbook, _("Sub-district ranking"), headers, [
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
    return excel.to_bytes(workbook)


def as_json(data: dict) -> dict:
    """Chart data for the bulletin page (floats and strings only)."""
    return {
        "labels": [s["name"] for s in data["subdistricts"]],
        "series": [
            {"name": _("Share of value done"), "data": [round(s["share"] * 100, 2) for s in data["subdistricts"]]},
            {"name": _("Start rate"), "data": [round(s["start_rate"] * 100, 2) for s in data["subdistricts"]]},
        ],
        "target": round(data["milestone"]["target_share"] * 100, 2) if data["milestone"] else None,
        "targetName": _("Milestone target") if data["milestone"] else "",
    }
