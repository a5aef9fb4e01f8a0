"""The bulletin as a Word document officials forward: A4, headings, tables, and a bar column as the chart."""

from io import BytesIO

from django.utils.translation import gettext as _

from gaizao.core import formatting
from gaizao.works.bulletin_text import (
    clean,
    item_headers,
    lagging_headers,
    optional_percent,
    percent,
    ranking_headers,
    ranking_title,
)


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

    document.add_heading(ranking_title(data["level"]), level=2)
    if data["subdistricts"]:
        _table(document, [*ranking_headers(data["level"]), _("Chart")], [
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
             optional_percent(p["forecast_share"]),
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

    from gaizao.coordination.bulletin import docx_section  # the joint meeting builds on works: a late import

    docx_section(document, data["coordination"], _table)

    from gaizao.aftercare.bulletin import docx_section as aftercare_docx  # builds on works: a late import

    aftercare_docx(document, data["aftercare"], _table)

    from gaizao.defects.bulletin import docx_section as defects_docx  # builds on works: a late import

    defects_docx(document, data["defects"], _table)

    note = document.add_paragraph(_("Computed from the contractors' progress reports up to %(date)s.")
                                  % {"date": formatting.date(data["day"])})
    note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
