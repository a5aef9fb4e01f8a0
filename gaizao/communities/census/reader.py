"""Reading a census workbook into plain rows, with every unreadable cell reported, not raised."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gaizao.communities.census.columns import (
    AREA_SHEET,
    BUILDING_SHEET,
    COMMUNITY_SHEET,
    SHEETS,
    CellError,
    Column,
)


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # as Excel numbers it: the header is row 1
    column: str
    message: str
    value: str = ""

    def __str__(self):
        where = _("sheet %(sheet)s, row %(row)s") % {"sheet": self.sheet, "row": self.row}
        if self.column:
            where += _(", column %(column)s") % {"column": self.column}
        shown = f" ({self.value})" if self.value else ""
        return _("%(where)s: %(problem)s") % {"where": where, "problem": self.message} + shown


@dataclass
class SheetRows:
    """Parsed rows of one sheet: each a dict of the fields whose column is present, plus its row number."""

    present: set[str] = field(default_factory=set)
    rows: list[tuple[int, dict]] = field(default_factory=list)


@dataclass
class CensusData:
    areas: SheetRows = field(default_factory=SheetRows)
    communities: SheetRows = field(default_factory=SheetRows)
    buildings: SheetRows = field(default_factory=SheetRows)
    errors: list[RowError] = field(default_factory=list)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_rows(sheet: str, columns: list[Column], header: list, body, errors: list[RowError],
               on_row=None) -> SheetRows:
    """Parse raw rows (lists of cell values) under a header row; rows are numbered from 2."""
    by_header = {col.header: col for col in columns}
    positions: dict[int, Column] = {}
    for index, title in enumerate(header):
        title = str(title).strip() if title is not None else ""
        if title in by_header:
            if by_header[title] in positions.values():
                errors.append(RowError(sheet, 1, title, _("This column appears twice.")))
            positions[index] = by_header[title]
    result = SheetRows(present={col.field for col in positions.values()})
    for col in columns:
        if col.required and col.field not in result.present:
            errors.append(RowError(sheet, 1, col.header, _("Required column is missing; add it to the header row.")))
    if any(col.required and col.field not in result.present for col in columns):
        return result
    for number, raw in enumerate(body, start=2):
        if on_row is not None:
            on_row()
        if raw is None or all(_blank(v) for v in raw):
            continue
        values = {}
        for index, col in positions.items():
            cell = raw[index] if index < len(raw) else None
            if _blank(cell):
                if col.required:
                    errors.append(RowError(sheet, number, col.header, _("Required; this cell is empty.")))
                values[col.field] = col.blank
                continue
            try:
                values[col.field] = col.parse(cell)
            except CellError as error:
                errors.append(RowError(sheet, number, col.header, str(error), str(cell)[:50]))
        result.rows.append((number, values))
    return result


def read_workbook(file, progress=None) -> CensusData:
    """Read an uploaded or local .xlsx file; a file that is not a workbook becomes one error, not a crash.

    `progress(done, total)` is called as rows are read; the total comes from the sheets' stated size.
    """
    data = CensusData()
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        data.errors.append(RowError("", 0, "", _("This file is not an Excel workbook (.xlsx). Save it as .xlsx "
                                                 "and upload it again, or start from the template.")))
        return data
    try:
        for name in (COMMUNITY_SHEET, BUILDING_SHEET):
            if name not in workbook.sheetnames:
                data.errors.append(RowError(name, 0, "", _("The sheet is missing; the workbook needs the sheets "
                                                           "小区 and 楼栋 (see the template).")))
        sheets = [(name, target) for name, target in
                  ((AREA_SHEET, "areas"), (COMMUNITY_SHEET, "communities"), (BUILDING_SHEET, "buildings"))
                  if name in workbook.sheetnames]
        total = sum(max((workbook[name].max_row or 1) - 1, 0) for name, _target in sheets)
        counter = _Counter(progress, total)
        for name, target in sheets:
            rows = workbook[name].iter_rows(values_only=True)
            header = next(rows, None) or []
            setattr(data, target, parse_rows(name, SHEETS[name], list(header), rows, data.errors, counter.tick))
        counter.finish()
    finally:
        workbook.close()
    return data


class _Counter:
    def __init__(self, progress, total):
        self.progress, self.total, self.done = progress, total, 0

    def tick(self):
        self.done += 1
        if self.progress is not None and self.done % 200 == 0:
            self.progress(min(self.done, self.total), max(self.total, self.done))

    def finish(self):
        if self.progress is not None:
            self.progress(self.done, max(self.total, self.done))
