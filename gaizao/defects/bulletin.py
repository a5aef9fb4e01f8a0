"""The defects' section of the progress bulletin: defects open and overdue on the bulletin's day by sub-district
and by contractor, on the page, in the Word file and in the Excel file (works.bulletin* call these late, as they
call feedback's counts: this app builds on works)."""

import datetime

from django.utils.translation import gettext as _

from gaizao.defects.services import defects_by_contractor, defects_by_subdistrict
from gaizao.works.bulletin_text import clean


def _headers(first: str) -> list[str]:
    return [first, _("Open defects"), _("Within the warranty"), _("Overdue")]


STAMP = "defects.figures"  # changed by every write of defects (see `gaizao.core.stamps`)


def watched_models() -> list:
    """What the section reads besides the projects' shape (contractors, sub-districts)."""
    from django.apps import apps

    return list(apps.get_app_config("defects").get_models())


def bulletin_section(day: datetime.date, projects=None) -> dict:
    """{"heading", "paragraph", "subdistricts", "contractors", "total"} as of the bulletin's day, for the defects
    in the work of `projects` (the user's scope)."""
    by_subdistrict = defects_by_subdistrict(day, projects)
    by_contractor = defects_by_contractor(day, projects)
    for row in by_subdistrict["rows"] + by_contractor["rows"]:
        row["name"] = clean(row["name"])
    total = by_subdistrict["total"]
    if total["open"]:
        paragraph = _("Defects in accepted work: %(open)s open, %(within)s of them within the warranty with the "
                      "contractors, %(overdue)s past their deadline without an answer.") % total
    else:
        paragraph = _("Defects in accepted work: none open.")
    return {"heading": _("Defects in accepted work"), "paragraph": paragraph, "total": total,
            "subdistricts": by_subdistrict["rows"], "contractors": by_contractor["rows"]}


def _rows(rows):
    return [[r["name"], r["open"], r["within"], r["overdue"]] for r in rows]


def docx_section(document, section: dict, table) -> None:
    """The section in the Word bulletin; `table` is the bulletin's own table writer (same look)."""
    document.add_heading(section["heading"], level=2)
    document.add_paragraph(section["paragraph"])
    if section["subdistricts"]:
        table(document, _headers(_("Sub-district")), _rows(section["subdistricts"]), numeric={1, 2, 3})
    if section["contractors"]:
        document.add_paragraph(_("Within the warranty, by contractor:"))
        table(document, _headers(_("Contractor")), _rows(section["contractors"]), numeric={1, 2, 3})


def xlsx_section(workbook, section: dict) -> None:
    """Two sheets of the Excel bulletin: defects by sub-district and by contractor."""
    from gaizao.core import excel

    total = section["total"]
    rows = _rows(section["subdistricts"])
    if rows:
        rows.append([_("Total"), total["open"], total["within"], total["overdue"]])
    excel.add_sheet(workbook, _("Defects by sub-district"), _headers(_("Sub-district")), rows, {1: 24})
    excel.add_sheet(workbook, _("Defects by contractor"), _headers(_("Contractor")), _rows(section["contractors"]),
                    {1: 36})
