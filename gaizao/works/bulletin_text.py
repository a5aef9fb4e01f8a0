"""How the bulletin writes text: user text a document can hold, percentages, and the column headers the page,
the Word file and the Excel file share."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# Characters Word and Excel files cannot hold (XML 1.0 forbids most control characters).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text) -> str:
    """User text as plain text a document can hold (markup and formulas are escaped by the writers)."""
    return _ILLEGAL.sub("", "" if text is None else str(text))


def percent(share, digits: int = 2) -> str:
    return f"{float(share) * 100:.{digits}f}%"


def optional_percent(value) -> str:
    return "—" if value is None else percent(value)


def place_header(level) -> str:
    """What the ranking ranks: a district's bulletin its sub-districts, a wider one its districts."""
    return _("District") if level == "district" else _("Sub-district")


def ranking_title(level) -> str:
    return _("2. District ranking") if level == "district" else _("2. Sub-district ranking")


def ranking_headers(level=None) -> list[str]:
    return [_("Rank"), place_header(level), _("Projects"), _("Started"), _("Start rate"), _("Start-rate rank"),
            _("Value done"), _("Share of value done"), _("Open feedback"), _("Overdue feedback")]


def lagging_headers() -> list[str]:
    return [_("Project"), _("Sub-district"), _("Contractor"), pgettext("bulletin", "Status"),
            _("Share of value done"), _("Forecast at the milestone"), _("Shortfall")]


def item_headers() -> list[str]:
    return [_("Work item"), _("Unit"), _("Planned"), _("Done"), _("Share done")]
