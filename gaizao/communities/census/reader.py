"""Reading a census workbook into plain rows, with every unreadable cell reported, not raised."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gaizao.communities.census.columns import AREA_SHEET, BUILDING_SHEET, COMMUNITY_SHEET, SHEETS
from gaizao.core.sheets import RowError, SheetRows, parse_rows  # noqa: F401 (re-exported)


@dataclass
class CensusData:
    areas: SheetRows = field(default_factory=SheetRows)
    communities: SheetRows = field(default_factory=SheetRows)
    buildings: SheetRows = field(default_factory=SheetRows)
    errors: list[RowError] = field(default_factory=list)


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
