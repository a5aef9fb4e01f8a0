"""Sentences for the optimiser's reason codes, so a user reads why a community landed in its year."""

from django.utils.translation import gettext as _


def reason_text(reason: str, detail: dict | None) -> str:
    detail = detail or {}
    years = "、".join(str(y) for y in detail.get("blocked_years", []))
    texts = {
        "pinned": _("Pinned to this year by staff."),
        "excluded": _("Kept out of the programme by staff."),
        "earliest_year": _("It could not start sooner."),
        "first_year": _("Scheduled in the first possible year."),
        "budget": _("The budget of earlier years was used up (%(years)s).") % {"years": years},
        "capacity_households": _("Earlier years had no household capacity left (%(years)s).") % {"years": years},
        "capacity_communities": _("Earlier years had no community capacity left (%(years)s).") % {"years": years},
        "unscheduled_budget": _("No year had enough budget left for it."),
        "unscheduled_capacity": _("No year had enough capacity left for it."),
        "unscheduled_value": _("Left out: other communities serve more need per yuan."),
    }
    return texts.get(reason, reason or "—")
