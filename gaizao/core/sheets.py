"""Reading spreadsheets that officials fill in by hand: typed columns, cell parsers, and row errors.

Every bad cell becomes a RowError naming sheet, row and column in the user's language; nothing raises, so
an importer can list every problem at once and write nothing.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from gaizao.core import clock


class CellError(ValueError):
    """A cell that cannot be read; the message tells the user what to write instead."""


def text(max_length):
    def parse(value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # codes typed as numbers come back as 140802001.0
        text = str(value).strip()
        if len(text) > max_length:
            raise CellError(_("Too long: at most %(n)s characters.") % {"n": max_length})
        return text

    return parse


def integer(low, high):
    def parse(value):
        if isinstance(value, bool):
            raise CellError(_("Write a whole number."))
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise CellError(_("Write a whole number.")) from None
        if number != number.to_integral_value():
            raise CellError(_("Write a whole number."))
        number = int(number)
        if not low <= number <= high:
            raise CellError(_("Must be between %(low)s and %(high)s.") % {"low": low, "high": high})
        return number

    return parse


def year(value):
    latest = clock.today().year
    return integer(1900, latest)(value)


def decimal(places, low=None, high=None, low_inclusive=True, scale=1):
    def parse(value):
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise CellError(_("Write a number.")) from None
        if not number.is_finite():
            raise CellError(_("Write a number."))
        if low is not None and (number < low or (number == low and not low_inclusive)):
            if low_inclusive:
                raise CellError(_("Must be %(low)s or more.") % {"low": low})
            raise CellError(_("Must be more than %(low)s.") % {"low": low})
        if high is not None and number > high:
            raise CellError(_("Must be %(high)s or less.") % {"high": high})
        return (number * scale).quantize(Decimal(1).scaleb(-places))

    return parse


def choice(words: dict[str, str]):
    accepted = {}
    for word, value in words.items():
        accepted[word] = value
        accepted[value] = value
    allowed = "、".join(w for w in words if w)

    def parse(value):
        text = str(value).strip()
        if text in accepted:
            return accepted[text]
        raise CellError(_("Unknown value; write one of: %(allowed)s.") % {"allowed": allowed})

    return parse


YES_NO = {"是": True, "否": False, "有": True, "无": False, "Y": True, "N": False}


def yes_no(value):
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if text in YES_NO:
        return YES_NO[text]
    raise CellError(_("Write 是 or 否."))


def word_list(words: dict[str, str]):
    """Several words from a list in one cell, separated by 、 , ， ; or spaces; stored as a list of values."""
    single = choice(words)

    def parse(value):
        parts = [p for p in re.split(r"[、,，;；\s]+", str(value).strip()) if p]
        return sorted({single(p) for p in parts})

    return parse


def word_for(words: dict, value) -> str:
    """The workbook word for a stored value (for export)."""
    for word, stored in words.items():
        if stored == value:
            return word
    return ""


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: object
    required: bool = False
    blank: object = None  # the value an empty optional cell means
    export: object = field(default=None)  # model value -> cell value



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
                values[col.field] = list(col.blank) if isinstance(col.blank, list) else col.blank
                continue
            try:
                values[col.field] = col.parse(cell)
            except CellError as error:
                errors.append(RowError(sheet, number, col.header, str(error), str(cell)[:50]))
        result.rows.append((number, values))
    return result
