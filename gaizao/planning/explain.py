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
        "capacity_subdistrict": _("Its sub-district could start no more communities in earlier years (%(years)s).")
        % {"years": years},
        "frozen": _("Adopted for a year already under way: kept where it is."),
    }
    return texts.get(reason, reason or "—")


def move_text(move: dict) -> str:
    """Why a re-plan moves a community from its adopted year, in words."""
    from gaizao.planning.funding import source_label

    year = move.get("year") or move.get("from")
    names = [source_label(code) for code in move.get("sources") or ([move["source"]] if move.get("source") else [])]
    texts = {
        "budget": _("The money of %(source)s ran out in %(year)s.") % {
            "source": "、".join(names) if names else _("its sources"), "year": year or "—"},
        "capacity_households": _("The year's household capacity is full."),
        "capacity_communities": _("The year's community capacity is full."),
        "capacity_subdistrict": _("Its sub-district cannot start more communities that year."),
        "pin": _("Staff pinned it or kept it out."),
        "earliest_year": _("It cannot start that early any more."),
        "higher_need": _("Its place went to communities of higher need."),
        "room": _("Money or capacity came free in an earlier year."),
    }
    return texts.get(move.get("reason", ""), move.get("reason") or "—")
