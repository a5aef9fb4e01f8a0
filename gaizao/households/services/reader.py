"""Reading the households workbook: one row per dwelling with its owners; names, phones and ID numbers
checked cell by cell."""

import re
import unicodedata

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gaizao.core.sheets import CellError, Column, RowError, SheetRows, decimal, parse_rows, text, yes_no

SHEET = "住户"


_SPLIT = re.compile(r"[、,，;；/／\n]+")


_PHONE = re.compile(r"^\+?[0-9][0-9-]{5,19}$")


_ID18 = re.compile(r"^[0-9]{17}[0-9X]$")


_ID15 = re.compile(r"^[0-9]{15}$")


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


_ID_CHECK = "10X98765432"


def _tokens(value) -> list[str]:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text_value = unicodedata.normalize("NFKC", str(value)).strip()
    return [t.strip() for t in _SPLIT.split(text_value) if t.strip()]


def id_checksum_ok(number: str) -> bool:
    if len(number) != 18:
        return True
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


def _names(value):
    names = _tokens(value)
    for name in names:
        if len(name) > 50:
            raise CellError(_("Too long: at most %(n)s characters.") % {"n": 50})
    return names


def _phones(value):
    phones = []
    for token in _tokens(value):
        token = re.sub(r"\s+", "", token)
        if "*" in token:
            phones.append(token)  # masked, from an export
            continue
        if not _PHONE.match(token):
            raise CellError(_("Not a phone number; write digits only, e.g. 13812345678 or 0359-2021234."))
        phones.append(token)
    return phones


def _ids(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Excel keeps only 15 significant digits of a number: the last digits of an ID number are lost.
        raise CellError(_("Excel stored this ID number as a number and lost its last digits; format the column "
                          "as text and type the number again."))
    numbers = []
    for token in _tokens(value):
        token = re.sub(r"\s+", "", token).upper()
        if "*" in token:
            if len(token) not in (15, 18):
                raise CellError(_("Not an ID number: write 18 characters (or 15 for an old card)."))
            numbers.append(token)
            continue
        if not (_ID18.match(token) or _ID15.match(token)):
            raise CellError(_("Not an ID number: write 18 characters (or 15 for an old card)."))
        if not id_checksum_ok(token):
            raise CellError(_("The last character of this ID number does not match the others; check the number."))
        numbers.append(token)
    return numbers


def _unit(value):
    text_value = unicodedata.normalize("NFKC", str(value)).strip().removesuffix("单元")
    if isinstance(value, float) and value.is_integer():
        text_value = str(int(value))
    if not text_value.isdigit() or not 1 <= int(text_value) <= 99:
        raise CellError(_("Write the unit number, 1 to 99."))
    return int(text_value)


COLUMNS = [
    Column("小区编码", "community_code", text(32), required=True),
    Column("楼栋名称", "building", text(50), required=True),
    Column("单元", "unit", _unit, blank=1),
    Column("房号", "room", text(20), required=True),
    Column("专有面积(平方米)", "area", decimal(2, low=0, high=100000, low_inclusive=False), required=True),
    Column("业主姓名", "names", _names, blank=[]),
    Column("联系电话", "phones", _phones, blank=[]),
    Column("身份证号", "ids", _ids, blank=[]),
    Column("是否自住", "owner_occupied", yes_no, blank=True),
    # Optional: a workbook without these columns leaves them as they are.
    Column("登记面积(平方米)", "registered_area", decimal(2, low=0, high=100000, low_inclusive=False), blank=None),
    Column("开发商未售出或未交付", "developer_held", yes_no, blank=False),
]


HEADERS = [c.header for c in COLUMNS]


COLUMN_WIDTHS = {2: 12, 4: 10, 5: 16, 6: 16, 7: 16, 8: 22, 10: 16, 11: 20}


def read_workbook(file) -> tuple[SheetRows, list[RowError]]:
    """The sheet 住户 as parsed rows, with every unreadable cell reported (a foreign file is one error)."""
    errors: list[RowError] = []
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        errors.append(RowError("", 0, "", _("This file is not an Excel workbook (.xlsx). Save it as .xlsx and "
                                            "upload it again, or start from the template.")))
        return SheetRows(), errors
    try:
        if SHEET not in workbook.sheetnames:
            errors.append(RowError(SHEET, 0, "", _("The sheet 住户 is missing (see the template).")))
            return SheetRows(), errors
        rows = workbook[SHEET].iter_rows(values_only=True)
        header = next(rows, None) or []
        return parse_rows(SHEET, COLUMNS, list(header), rows, errors), errors
    finally:
        workbook.close()
