"""What the residents' home page shows. The portal knows no votes, surveys or notices: each app adds its section
when it starts (``AppConfig.ready``), so a new kind of participation plugs in without touching this app."""

from collections.abc import Callable
from dataclasses import dataclass

from gaizao.households.models import Household


@dataclass(frozen=True)
class Section:
    key: str
    order: int  # top to bottom on the home page
    template: str  # included with ``data`` (what ``context`` returned), ``community`` and ``household``
    context: Callable[[Household], dict]


_sections: dict[str, Section] = {}


def _nothing(household: Household) -> dict:
    return {}


def add_section(key: str, *, order: int, template: str, context: Callable[[Household], dict] = _nothing) -> None:
    """Register (or replace, on a reload) the home section named ``key``."""
    _sections[key] = Section(key, order, template, context)


def sections_for(household: Household) -> list[tuple[Section, dict]]:
    return [(section, section.context(household)) for section in sorted(_sections.values(), key=lambda s: s.order)]
