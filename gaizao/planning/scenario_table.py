"""A planning table for what-if runs (`gaizao plan`): one row per candidate community, from .csv or .xlsx.

Columns (header row, any order, case ignored): code, cost_yuan, households, need_score, and optionally
subdistrict, earliest_year, pinned_year, excluded (1/0, true/false, yes/no, 是/否), upgrade_cost_yuan.
Every bad cell is reported with its row and column; nothing is returned unless the whole table is good.
"""

import csv
import io
import math
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gaizao.core.sheets import CellError, Column, RowError, integer, parse_rows, text
from gaizao.planning.optimiser import Candidate

TRUE_WORDS = {"1", "true", "yes", "y", "是", "有"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "无"}


class TableError(Exception):
    """The table cannot be used; `problems` holds one readable line per bad cell (sheet, row, column)."""

    def __init__(self, problems: list):
        self.problems = [str(p) for p in problems]
        super().__init__("\n".join(self.problems))


def number(value):
    if isinstance(value, bool):
        raise CellError(_("Write a number."))
    if isinstance(value, int | float):
        result = float(value)
    else:
        try:
            result = float(str(value).strip().replace(",", ""))
        except ValueError:
            raise CellError(_("Write a number.")) from None
    if not math.isfinite(result):
        raise CellError(_("Write a number."))
    if result < 0:
        raise CellError(_("Must be %(low)s or more.") % {"low": 0})
    return result


def yes_no(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("Write 1 or 0 (true/false, yes/no, 是/否)."))


COLUMNS = [
    Column("code", "code", text(100), required=True),
    Column("cost_yuan", "cost_yuan", number, required=True),
    Column("households", "households", integer(0, 10**7), required=True),
    Column("need_score", "need_score", number, required=True),
    Column("subdistrict", "subdistrict", text(100), blank=""),
    Column("earliest_year", "earliest_year", integer(1900, 2200)),
    Column("pinned_year", "pinned_year", integer(1900, 2200)),
    Column("excluded", "excluded", yes_no, blank=False),
    Column("upgrade_cost_yuan", "upgrade_cost_yuan", number, blank=0.0),
]


def read_candidates(path, years: list[int] | None = None) -> list[Candidate]:
    """Candidates from a .csv or .xlsx table; TableError lists every problem. Pinned years must be in `years`."""
    path = Path(path)
    sheet, header, body = _raw_rows(path)
    errors: list[RowError] = []
    header = [str(h).strip().lower() if h is not None else "" for h in header]
    rows = parse_rows(sheet, COLUMNS, header, body, errors)
    if errors and not rows.rows:
        raise TableError(errors)
    candidates, seen = [], {}
    for number_, values in rows.rows:
        code = values.get("code")
        if code and code in seen:
            errors.append(RowError(sheet, number_, "code", _("This code is already used in row %(row)s.")
                                   % {"row": seen[code]}, code))
        elif code:
            seen[code] = number_
        pinned, earliest = values.get("pinned_year"), values.get("earliest_year")
        if pinned is not None and years and pinned not in years:
            errors.append(RowError(sheet, number_, "pinned_year", _("The pinned year must be one of the plan's "
                                   "years: %(years)s.") % {"years": ", ".join(map(str, years))}, str(pinned)))
        if pinned is not None and values.get("excluded"):
            errors.append(RowError(sheet, number_, "excluded",
                                   _("A community cannot be pinned to a year and excluded at once.")))
        if pinned is not None and earliest is not None and pinned < earliest:
            errors.append(RowError(sheet, number_, "pinned_year",
                                   _("The pinned year is before the earliest year %(year)s.") % {"year": earliest},
                                   str(pinned)))
        if any(values.get(c.field) is None for c in COLUMNS if c.required):
            continue  # already reported
        candidates.append(Candidate(
            code=values["code"], cost_yuan=values["cost_yuan"], households=values["households"],
            need_score=values["need_score"], subdistrict=values.get("subdistrict") or "",
            earliest_year=earliest, pinned_year=pinned, excluded=bool(values.get("excluded")),
            upgrade_cost_yuan=values.get("upgrade_cost_yuan") or 0.0))
    if errors:
        raise TableError(sorted(errors, key=lambda e: (e.row, e.column)))
    return candidates


def _raw_rows(path: Path):
    """(sheet name, header row, iterator of rows) from the file; a TableError when it cannot be read."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            workbook = load_workbook(path, read_only=True, data_only=True)
            worksheet = workbook.worksheets[0]
            rows = worksheet.iter_rows(values_only=True)
            header = list(next(rows, []) or [])
            return worksheet.title, header, [list(r) for r in rows]
        if suffix == ".csv":
            raw = path.read_bytes()
            try:
                content = raw.decode("utf-8-sig")
            except UnicodeDecodeError:  # Excel in Chinese saves CSV in GB18030 (GBK)
                content = raw.decode("gb18030")
            dialect = _dialect(content)
            reader = csv.reader(io.StringIO(content), dialect)
            header = next(reader, [])
            return path.name, header, list(reader)
    except Exception as error:  # openpyxl raises assorted errors on a file that is not a workbook
        raise TableError([_("Cannot read %(file)s: %(error)s") % {"file": path.name, "error": error}]) from None
    raise TableError([_("%(file)s: use a .csv or .xlsx file.") % {"file": path.name}])


def _dialect(content: str):
    first = content.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        return csv.excel
