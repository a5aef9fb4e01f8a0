"""The Yanhu demo census as the rows the census importer takes: areas, communities (with the details a survey
records: ownership, management, location, problems) and buildings."""

import random
from decimal import Decimal

from gaizao.communities.census.columns import AREA_COLUMNS, BUILDING_COLUMNS, COMMUNITY_COLUMNS
from gaizao.communities.census.reader import CensusData, SheetRows
from gaizao.communities.models import ExclusionReason, OwnershipType, ProgrammeStatus, PropertyManagement
from gaizao.demo.yanhu import CITY_CODE, CITY_NAME, DISTRICT_CODE, DISTRICT_NAME, SEED, SUBDISTRICTS
from gaizao.demo.yanhu_communities import DemoBuilding, DemoCommunity, build_communities, random_decimal
from gaizao.regions.models import Area

CENTRE = (35.02, 111.00)  # Yuncheng city centre (lat, lng)


def _management(rng, community: DemoCommunity) -> tuple[str, str]:
    """Ownership and property management: work-unit compounds are mostly run by the unit or by nobody."""
    if community.exclusion_reason == ExclusionReason.THREE_SUPPLIES:
        return OwnershipType.WORK_UNIT_COMPOUND, PropertyManagement.WORK_UNIT
    if community.kind == "unit":
        return (rng.choice((OwnershipType.WORK_UNIT_COMPOUND,) * 4 + (OwnershipType.REFORMED_PUBLIC,)),
                rng.choice((PropertyManagement.WORK_UNIT,) * 3 + (PropertyManagement.NONE,) * 3
                           + (PropertyManagement.SELF_MANAGED,)))
    if community.kind == "estate":
        return (rng.choice((OwnershipType.REFORMED_PUBLIC, OwnershipType.COMMERCIAL, OwnershipType.MIXED)),
                rng.choice((PropertyManagement.COMPANY, PropertyManagement.NONE,
                            PropertyManagement.SELF_MANAGED)))
    return (rng.choice((OwnershipType.MIXED, OwnershipType.OTHER, OwnershipType.REFORMED_PUBLIC)),
            rng.choice((PropertyManagement.NONE,) * 2 + (PropertyManagement.SELF_MANAGED,)))


def _status(community: DemoCommunity) -> str:
    if community.batch_year == 2021:
        return ProgrammeStatus.IMPLEMENTING
    if community.batch_year == 2022:
        return ProgrammeStatus.PLANNING
    return ProgrammeStatus.RESERVE


def _coordinate(rng, centre: float, offset: float) -> Decimal:
    return Decimal(str(round(centre + offset + rng.uniform(-0.012, 0.012), 6)))


def _area_rows() -> list[dict]:
    def row(code, name, parent_code, level):
        return {"code": code, "name": name, "parent_code": parent_code, "level": level}

    return [row(CITY_CODE, CITY_NAME, "", Area.Level.CITY),
            row(DISTRICT_CODE, DISTRICT_NAME, CITY_CODE, Area.Level.DISTRICT),
            *(row(s.code, s.name, DISTRICT_CODE, Area.Level.SUBDISTRICT) for s in SUBDISTRICTS)]


def _community_row(rng, c: DemoCommunity) -> dict:
    ownership, management = _management(rng, c)
    return {
        "code": c.code, "name": c.name, "subdistrict": c.subdistrict.code,
        "year_built": min(b.year_built for b in c.buildings), "address": c.address,
        "ownership_type": ownership, "property_management": management,
        "exclusion_reason": c.exclusion_reason, "investment_estimate": c.investment_estimate,
        "longitude": _coordinate(rng, CENTRE[1], c.subdistrict.offset[1]),
        "latitude": _coordinate(rng, CENTRE[0], c.subdistrict.offset[0]),
        "notes": c.notes, "programme_status": _status(c), "batch_year": c.batch_year,
        "is_demonstration": c.is_demonstration,
        "problems": _problems(rng, c), "elderly_share": random_decimal(rng, 18, 48), "resident_support": None,
    }


# What the newspaper says of 康杰中学家属院 and of old communities in general.
KANGJIE_PROBLEMS = ["blocked_drains", "damaged_walls", "disorderly_parking", "refuse", "tangled_wires"]
COMMON_PROBLEMS = ["leaking_roof", "damaged_walls", "blocked_drains", "tangled_wires", "poor_heating",
                   "old_water_pipes", "disorderly_parking", "no_lighting", "refuse", "broken_roads"]


def _problems(rng, c: DemoCommunity) -> list[str]:
    if c.name == "康杰中学家属院":
        return KANGJIE_PROBLEMS
    age = 2021 - min(b.year_built for b in c.buildings)
    count = min(len(COMMON_PROBLEMS), max(0, round(rng.gauss(age / 7, 1.2))))
    return sorted(rng.sample(COMMON_PROBLEMS, count))


def _building_row(c: DemoCommunity, b: DemoBuilding) -> dict:
    return {"community_code": c.code, "name": b.name, "floors": b.floors, "households": b.households,
            "floor_area_m2": b.floor_area_m2, "year_built": b.year_built,
            "stairwell_units": b.stairwell_units, "structure": b.structure, "has_elevator": False}


def _sheet(columns, rows: list[dict]) -> SheetRows:
    # Numbered from 2 as in a workbook, where row 1 is the header, so any error points at a real row.
    return SheetRows(present={col.field for col in columns}, rows=list(enumerate(rows, start=2)))


def yanhu_census() -> CensusData:
    """The demo census as parsed rows, ready for gaizao.communities.census.importer.apply_import."""
    communities = build_communities()
    rng = random.Random(SEED + 1)  # its own stream, so details here never shift the fitted figures
    return CensusData(
        areas=_sheet(AREA_COLUMNS, _area_rows()),
        communities=_sheet(COMMUNITY_COLUMNS, [_community_row(rng, c) for c in communities]),
        buildings=_sheet(BUILDING_COLUMNS, [_building_row(c, b) for c in communities for b in c.buildings]),
    )
