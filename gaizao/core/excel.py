"""Excel helpers shared by exports: a header row officials can read, sensible widths, frozen header, numbers with
thousands separators (years, dates and codes left as they are)."""

from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


# Text starting with one of these is a formula to Excel and LibreOffice (=HYPERLINK(…), +1+1, -1+1, @SUM(…)),
# also once a user edits the cell; tab and carriage return start the same trick in a CSV made from the sheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def keep_as_text(cell):
    """User text in a cell stays text: never a formula (openpyxl stores "=…" as one), and marked with Excel's
    quote prefix (the ' typed before text) so that editing the cell does not turn it into one either. The
    value itself is unchanged, so an exported workbook imports back as it was."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _is_year_column(header) -> bool:
    text = str(header).lower()
    return "年" in text or "year" in text or "date" in text or "日期" in text


def number_format(value) -> str | None:
    """Numbers as officials write them: thousands separators, two decimals only where there are fractions."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return "#,##0" if float(value) == int(value) and not isinstance(value, float | Decimal) else "#,##0.00"


def add_sheet(workbook: Workbook, title: str, headers: list[str], rows, widths: dict[int, int] | None = None):
    sheet = workbook.create_sheet(title)
    plain = {index for index, header in enumerate(headers, start=1) if _is_year_column(header)}
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    # The row just appended is counted here: openpyxl's `max_row` scans every cell written so far, which made
    # each row cost as much as the whole sheet (the whole platform's census, 300,000 rows, never finished).
    line = 1
    for row in rows:
        sheet.append(row)
        line += 1
        for column, value in enumerate(row, start=1):
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                keep_as_text(sheet.cell(row=line, column=column))
            elif column not in plain and (fmt := number_format(value)):
                sheet.cell(row=line, column=column).number_format = fmt
    for index, header in enumerate(headers, start=1):
        width = (widths or {}).get(index) or max(10, min(40, len(str(header)) * 2 + 4))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def to_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def response(workbook: Workbook, filename: str) -> HttpResponse:
    resp = HttpResponse(to_bytes(workbook), content_type=XLSX_TYPE)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp
