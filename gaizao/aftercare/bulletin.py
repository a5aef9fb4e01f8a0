"""Long-term management and return visits in the progress bulletin and the dashboard: the share of accepted
communities with an arrangement by sub-district, the flagged ones, and the return visits' answers, as of the
bulletin's day, on the page, in the Word file and in the Excel file (works.bulletin* call these late: this app
builds on works)."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gaizao.aftercare.services import management_by_subdistrict
from gaizao.aftercare.visits import return_visit_summary
from gaizao.core import formatting
from gaizao.works.bulletin_text import clean, optional_percent, percent, place_header

STAMP = "aftercare.figures"  # changed by every write of what the section reads (see `gaizao.core.stamps`)


def watched_models() -> list:
    """What the section reads besides the projects' shape (accepted communities, contractors)."""
    from gaizao.aftercare.models import AftercareSettings, ManagementArrangement, ReturnVisit
    from gaizao.households.models import Household
    from gaizao.surveys.models import Survey, SurveyResponse

    return [ManagementArrangement, AftercareSettings, ReturnVisit, Survey, SurveyResponse, Household]


def share_headers(level=None) -> list[str]:
    return [place_header(level), _("Communities accepted"), _("With an arrangement"), _("Share arranged"),
            _("Flagged (overdue)")]


def flagged_headers() -> list[str]:
    return [_("Community"), _("Sub-district"), _("Acceptance date"), _("Days since acceptance")]


def visit_headers() -> list[str]:
    return [_("Return visit"), _("Visits opened"), _("Answers"), _("Response rate"), _("Overall satisfaction"),
            _("Satisfaction with management")]


def months_label(months: int) -> str:
    return _("%(n)s months after acceptance") % {"n": months}


# A district has a handful of communities accepted without an arrangement; the whole platform's bulletin listed
# all of them (thousands, 460 KB of the page at 50,000 communities). Beyond this many the page and the paragraph
# name the first and count the rest; the list page (flag=overdue) has them all.
FLAGGED_SHOWN = 20


def bulletin_section(day: datetime.date, projects=None) -> dict:
    """{"management", "visits", "paragraph", "visits_paragraph", "heading"} for the communities of `projects`
    (the bulletin's scope) on the day."""
    management = management_by_subdistrict(day, projects=projects)
    for row in management["subdistricts"]:
        row.name = clean(row.name)
    for row in management["flagged"]:
        row["name"], row["subdistrict"] = clean(row["name"]), clean(row["subdistrict"])
    visits = return_visit_summary(day, projects=projects)
    return {"management": management, "visits": visits["rows"], "flagged_shown": FLAGGED_SHOWN,
            "flagged_slice": f":{FLAGGED_SHOWN}", "heading": _("Long-term management and return "
                                                                               "visits"),
            "paragraph": _paragraph(management), "visits_paragraph": _visits_paragraph(visits["rows"])}


def _paragraph(management) -> str:
    total = management["total"]
    if not total.accepted:
        return _("Long-term management: no community has been accepted yet.")
    text = _("Long-term management: %(arranged)s of the %(accepted)s accepted communities have an arrangement in "
             "place (%(share)s).") % {"arranged": total.arranged, "accepted": total.accepted,
                                      "share": percent(total.share)}
    if management["flagged"]:
        flagged = management["flagged"]
        names = pgettext("list separator", ", ").join(f["name"] for f in flagged[:FLAGGED_SHOWN])
        if len(flagged) > FLAGGED_SHOWN:
            names = _("%(names)s and %(more)s more") % {"names": names, "more": len(flagged) - FLAGGED_SHOWN}
        text += " " + _("%(n)s accepted more than %(days)s days ago still have none: %(names)s.") % {
            "n": len(management["flagged"]), "days": management["overdue_days"], "names": names}
    return text


def _visits_paragraph(rows) -> str:
    if not rows:
        return _("Return visits: none has opened yet.")
    parts = [_("%(when)s, %(visits)s visits, %(answers)s answers, satisfaction %(rate)s") % {
        "when": months_label(r["months"]), "visits": r["visits"], "answers": r["responses"],
        "rate": optional_percent(r["overall"])} for r in rows]
    return _("Return visits: %(parts)s.") % {"parts": pgettext("between clauses", "; ").join(parts)}


def _share_rows(management):
    rows = [[s.name, s.accepted, s.arranged, optional_percent(s.share), s.overdue]
            for s in management["subdistricts"]]
    total = management["total"]
    if management["subdistricts"]:
        rows.append([_("Total"), total.accepted, total.arranged, optional_percent(total.share), total.overdue])
    return rows


def docx_section(document, section: dict, table) -> None:
    """The section in the Word bulletin; `table` is the bulletin's own table writer (same look)."""
    document.add_heading(section["heading"], level=2)
    document.add_paragraph(section["paragraph"])
    management = section["management"]
    if management["subdistricts"]:
        table(document, share_headers(management["level"]), _share_rows(management), numeric={1, 2, 3, 4})
    if management["flagged"]:
        table(document, flagged_headers(), [[f["name"], f["subdistrict"], formatting.date(f["accepted_on"]),
                                             f["days"]] for f in management["flagged"]], numeric={3})
    document.add_paragraph(section["visits_paragraph"])
    if section["visits"]:
        table(document, visit_headers(), [
            [months_label(r["months"]), r["visits"], r["responses"], optional_percent(r["response_rate"]),
             optional_percent(r["overall"]), optional_percent(r["management"])] for r in section["visits"]],
            numeric={1, 2, 3, 4, 5})


def _number(value):
    return None if value is None else round(float(value), 4)


def xlsx_section(workbook, section: dict) -> None:
    """Two sheets of the Excel bulletin: the shares by sub-district with the flagged communities below, and the
    return visits."""
    from gaizao.core import excel

    management = section["management"]
    rows = [[s.name, s.accepted, s.arranged, _number(s.share), s.overdue] for s in management["subdistricts"]]
    total = management["total"]
    if rows:
        rows.append([_("Total"), total.accepted, total.arranged, _number(total.share), total.overdue])
    sheet = excel.add_sheet(workbook, _("Long-term management"), share_headers(management["level"]), rows, {1: 24})
    for line in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        for cell in line:
            cell.number_format = "0.00%"
    if management["flagged"]:
        sheet.append([])
        sheet.append([_("Flagged: accepted more than %(days)s days ago without an arrangement")
                      % {"days": management["overdue_days"]}])
        sheet.append(flagged_headers())
        line = sheet.max_row  # counted on from here: `max_row` scans the whole sheet each time it is asked
        for f in management["flagged"]:
            sheet.append([f["name"], f["subdistrict"], f["accepted_on"], f["days"]])
            line += 1
            for column in (1, 2):
                excel.keep_as_text(sheet.cell(row=line, column=column))
            sheet.cell(row=line, column=3).number_format = "yyyy-mm-dd"
    visits = excel.add_sheet(workbook, _("Return visits"), visit_headers(), [
        [months_label(r["months"]), r["visits"], r["responses"], _number(r["response_rate"]), _number(r["overall"]),
         _number(r["management"])] for r in section["visits"]], {1: 20})
    for line in visits.iter_rows(min_row=2, min_col=4, max_col=6):
        for cell in line:
            cell.number_format = "0.00%"
