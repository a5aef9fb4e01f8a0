"""The other tables of a what-if run (`gaizao plan`): funding sources, the adopted plan, sub-district capacities.

funding.csv      source, year, amount_yuan, pays       (pays: basic, upgrade or all; 基础/提升/全部 also read)
previous.csv     code, year, upgrade_year               (an empty year: adopted as not scheduled)
subdistricts.csv subdistrict, year, communities
Every bad cell is reported with its row and column and what to write instead; nothing is returned unless the whole
table is good.
"""

from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from gaizao.core.sheets import CellError, Column, RowError, integer, parse_rows, text
from gaizao.planning.models import FundingSource
from gaizao.planning.optimiser import Adopted, Source
from gaizao.planning.scenario_table import TableError, _raw_rows, number

PAYS_WORDS = {"basic": "basic", "upgrade": "upgrade", "all": "all", "基础": "basic", "基础类": "basic",
              "提升": "upgrade", "提升类": "upgrade", "全部": "all", "任意": "all"}


def pays(value):
    word = str(value).strip().lower()
    if word not in PAYS_WORDS:
        raise CellError(_("Write basic (basic and improvement work), upgrade (upgrade work) or all."))
    return PAYS_WORDS[word]


def source_code(value):
    """A funding-source code (central_subsidy, special_bonds, …) or its name in either language; any other name is
    kept as written (a what-if may try a source the platform does not know yet)."""
    code = str(value).strip()
    if not code:
        raise CellError(_("Name the source, e.g. %(codes)s.") % {"codes": ", ".join(c.value for c in FundingSource)})
    labels = {}
    for choice in FundingSource:
        labels[choice.value] = choice.value
        labels[str(choice.label)] = choice.value
        with translation.override("zh-hans"):
            labels[str(choice.label)] = choice.value
    return labels.get(code, code)


FUNDING = [
    Column("source", "source", source_code, required=True),
    Column("year", "year", integer(1900, 2200), required=True),
    Column("amount_yuan", "amount_yuan", number, required=True),
    Column("pays", "pays", pays, required=True),
]
PREVIOUS = [
    Column("code", "code", text(100), required=True),
    Column("year", "year", integer(1900, 2200)),
    Column("upgrade_year", "upgrade_year", integer(1900, 2200)),
]
SUBDISTRICTS = [
    Column("subdistrict", "subdistrict", text(100), required=True),
    Column("year", "year", integer(1900, 2200), required=True),
    Column("communities", "communities", integer(0, 10**6), required=True),
]


def _read(path, columns):
    path = Path(path)
    sheet, header, body = _raw_rows(path)
    errors: list[RowError] = []
    header = [str(h).strip().lower() if h is not None else "" for h in header]
    rows = parse_rows(sheet, columns, header, body, errors)
    good = [(n, v) for n, v in rows.rows if all(v.get(c.field) is not None for c in columns if c.required)]
    return sheet, good, errors


def _finish(errors):
    if errors:
        raise TableError(sorted(errors, key=lambda e: (e.row, e.column)))


def read_funding(path, years: list[int] | None = None) -> dict[int, list[Source]]:
    """Sources per year in the order of the file; `years`, when given, are the only years allowed."""
    sheet, rows, errors = _read(path, FUNDING)
    funding: dict[int, list[Source]] = {}
    seen: dict[tuple, int] = {}
    for row, values in rows:
        year, code = values["year"], values["source"]
        if years and year not in years:
            errors.append(RowError(sheet, row, "year", _("%(year)s is not a year of the programme (%(first)s–"
                                   "%(last)s); change the year or drop the row.")
                                   % {"year": year, "first": years[0], "last": years[-1]}, str(year)))
            continue
        if (year, code) in seen:
            errors.append(RowError(sheet, row, "source", _("%(source)s is already given for %(year)s in row "
                                   "%(row)s; add the amounts into one row.")
                                   % {"source": code, "year": year, "row": seen[(year, code)]}, code))
            continue
        seen[(year, code)] = row
        funding.setdefault(year, []).append(Source(code, float(values["amount_yuan"]), values["pays"]))
    if not rows and not errors:
        errors.append(RowError(sheet, 1, "source", _("The table has no sources.")))
    _finish(errors)
    return funding


def read_previous(path, years: list[int]) -> dict[str, Adopted]:
    sheet, rows, errors = _read(path, PREVIOUS)
    adopted: dict[str, Adopted] = {}
    for row, values in rows:
        code, year, upgrade = values["code"], values.get("year"), values.get("upgrade_year")
        if code in adopted:
            errors.append(RowError(sheet, row, "code", _("This community is already listed."), code))
        elif upgrade is not None and year is None:
            errors.append(RowError(sheet, row, "upgrade_year",
                                   _("An upgrade year needs a basic year; write the year or clear it."), str(upgrade)))
        elif upgrade is not None and upgrade < year:
            errors.append(RowError(sheet, row, "upgrade_year", _("The upgrade year is before the basic year "
                                   "%(year)s.") % {"year": year}, str(upgrade)))
        else:
            adopted[code] = Adopted(year, upgrade)
    _finish(errors)
    return adopted


def read_subdistricts(path, years: list[int]) -> dict[str, dict[int, int]]:
    sheet, rows, errors = _read(path, SUBDISTRICTS)
    caps: dict[str, dict[int, int]] = {}
    for row, values in rows:
        name, year = values["subdistrict"], values["year"]
        if year not in years:
            errors.append(RowError(sheet, row, "year", _("%(year)s is not a year of the programme.")
                                   % {"year": year}, str(year)))
        elif year in caps.get(name, {}):
            errors.append(RowError(sheet, row, "year", _("This sub-district and year are already given."), str(year)))
        else:
            caps.setdefault(name, {})[year] = values["communities"]
    _finish(errors)
    return caps


def cash_flow(raw: str) -> tuple[float, ...]:
    """"0.6,0.4" or "60%,40%" → (0.6, 0.4); ValueError with what to write."""
    shares = []
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        scale = 100.0 if part.endswith("%") else 1.0
        try:
            value = float(part.rstrip("%")) / scale
        except ValueError:
            raise ValueError(_("--cash-flow: cannot read %(part)s; write shares such as 0.6,0.4.")
                             % {"part": part}) from None
        if value < 0:
            raise ValueError(_("--cash-flow: shares must not be negative."))
        shares.append(value)
    if not shares or abs(sum(shares) - 1) > 1e-6:
        raise ValueError(_("--cash-flow: the shares add up to %(sum)s; they must add up to 1 (e.g. 0.6,0.4).")
                         % {"sum": f"{sum(shares):g}"})
    return tuple(shares)
