"""The joint meeting's section of the progress bulletin: departments ranked by their overdue items on the
bulletin's day, on the page, in the Word file and in the Excel file (works.bulletin* call these, late, as they
call feedback's counts: this app builds on works)."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gaizao.coordination.services import department_ranking, totals
from gaizao.works.bulletin_text import clean


def ranking_headers() -> list[str]:
    return [_("Rank"), _("Lead department"), _("Items"), _("Done"), _("Not done"), _("Overdue")]


STAMP = "coordination.figures"  # changed by every write of the joint meeting's data (see `gaizao.core.stamps`)


def watched_models() -> list:
    from django.apps import apps

    return list(apps.get_app_config("coordination").get_models())


def bulletin_section(day: datetime.date) -> dict:
    """{"rows", "totals", "paragraph", "heading"} as of the bulletin's day."""
    rows = department_ranking(day)
    for row in rows:
        row["name"] = clean(row["name"])
    summed = totals(rows)
    return {"rows": rows, "totals": summed, "paragraph": _paragraph(rows, summed),
            "heading": _("Joint meeting: overdue items by department")}


def _paragraph(rows, summed) -> str:
    if not summed["items"]:
        return _("Joint meeting: no item decided yet.")
    text = _("Joint meeting: %(items)s items decided, %(done)s done, %(overdue)s overdue.") % summed
    worst = max(r["overdue"] for r in rows)
    if worst:
        names = pgettext("list separator", ", ").join(r["name"] for r in rows if r["overdue"] == worst)
        text += " " + _("Most overdue: %(names)s (%(n)s each).") % {"names": names, "n": worst}
    return text


def _table_rows(section):
    return [[r["rank"], r["name"], r["items"], r["done"], r["open"], r["overdue"]] for r in section["rows"]]


def docx_section(document, section: dict, table) -> None:
    """The section in the Word bulletin; `table` is the bulletin's own table writer (same look)."""
    document.add_heading(section["heading"], level=2)
    document.add_paragraph(section["paragraph"])
    if section["rows"]:
        table(document, ranking_headers(), _table_rows(section), numeric={0, 2, 3, 4, 5})


def xlsx_section(workbook, section: dict) -> None:
    """The section as a sheet of the Excel bulletin."""
    from gaizao.core import excel

    rows = _table_rows(section)
    if section["rows"]:
        t = section["totals"]
        rows.append([None, _("Total"), t["items"], t["done"], t["open"], t["overdue"]])
    excel.add_sheet(workbook, _("Departments' ranking"), ranking_headers(), rows, {2: 30})
