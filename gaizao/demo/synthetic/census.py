"""Synthetic census: communities with buildings, and every dwelling with its exclusive floor area."""

from decimal import Decimal

from gaizao.communities.models import (
    Building,
    Community,
    ExclusionReason,
    OwnershipType,
    Problem,
    ProgrammeStatus,
    PropertyManagement,
    Structure,
)
from gaizao.demo.synthetic import names
from gaizao.demo.synthetic.areas import CUTOFF_YEAR, spread
from gaizao.demo.synthetic.bulk import create_objects, insert_rows
from gaizao.households.models import Household

EXCLUSIONS = [ExclusionReason.THREE_SUPPLIES, ExclusionReason.SHANTY_TOWN, ExclusionReason.COURTYARD_ROW_HOUSES,
              ExclusionReason.DANGEROUS_BUILDING]
# Of the eligible communities: share per batch year and the status that year gives (实施/谋划/储备).
BATCHES = [(2025, 0.25, ProgrammeStatus.IMPLEMENTING), (2026, 0.25, ProgrammeStatus.IMPLEMENTING),
           (2027, 0.2, ProgrammeStatus.PLANNING), (2028, 0.15, ProgrammeStatus.RESERVE),
           (2029, 0.15, ProgrammeStatus.RESERVE)]


def _clip(value, low, high):
    return max(low, min(high, value))


def make_communities(rng, count: int, subdistricts, code_prefix: str) -> list[Community]:
    taken = {sub.pk: set() for sub in subdistricts}
    objects = []
    for n, sub in enumerate(spread(count, subdistricts)):
        year = rng.randint(1972, 2000) if rng.random() < 0.88 else rng.randint(2001, 2006)
        exclusion = rng.choice(EXCLUSIONS) if rng.random() < 0.3 else ""
        lat, lon = sub.district.centre
        community = Community(
            code=f"{code_prefix}{n + 1:07d}", name=names.community_name(rng, taken[sub.pk]), subdistrict=sub,
            address=f"{rng.choice(names.STREETS)}{rng.randint(1, 300)}号", year_built=year,
            ownership_type=rng.choice(OwnershipType.values), property_management=rng.choice(PropertyManagement.values),
            exclusion_reason=exclusion,
            latitude=Decimal(f"{lat + rng.uniform(-0.06, 0.06):.6f}"),
            longitude=Decimal(f"{lon + rng.uniform(-0.06, 0.06):.6f}"),
            problems=rng.sample(Problem.values, rng.randint(0, 4)),
            elderly_share=Decimal(f"{rng.uniform(8, 45):.2f}"),
            resident_support=Decimal(f"{rng.uniform(60, 99):.2f}"),
            is_eligible=year <= CUTOFF_YEAR and not exclusion,
            is_demonstration=rng.random() < 0.03,
        )
        if community.is_eligible:
            draw, total = rng.random(), 0.0
            for year_of_batch, share, status in BATCHES:
                total += share
                if draw < total:
                    community.batch_year, community.programme_status = year_of_batch, status
                    break
            else:
                community.batch_year, community.programme_status = BATCHES[-1][0], BATCHES[-1][2]
        objects.append(community)
    return create_objects(Community, objects)


def make_buildings(rng, communities) -> dict[int, list[Building]]:
    """About five buildings a community and thirty households a building (the national averages)."""
    objects = []
    for community in communities:
        for b in range(1, _clip(round(rng.gauss(5, 2)), 1, 14) + 1):
            floors = rng.choice([3, 4, 5, 5, 6, 6, 6, 7])
            households = _clip(round(rng.gauss(30, 10)), 6, 84)
            units = _clip(households // (floors * 2), 1, 6)
            area = Decimal(households * rng.uniform(58, 96)).quantize(Decimal("0.01"))
            objects.append(Building(community=community, name=f"{b}号楼", year_built=community.year_built,
                                    floors=floors, stairwell_units=units, households=households, floor_area_m2=area,
                                    structure=Structure.BRICK_CONCRETE if rng.random() < 0.85 else Structure.FRAME,
                                    has_elevator=floors >= 7 and rng.random() < 0.3))
    create_objects(Building, objects)
    by_community: dict[int, list[Building]] = {}
    for building in objects:
        by_community.setdefault(building.community_id, []).append(building)
    return by_community


def dwellings(rng, building):
    """(unit, room, exclusive area, owner occupied) for each dwelling: rooms 101, 102, 201 … per stairwell unit."""
    per_floor_unit = -(-building.households // (building.floors * building.stairwell_units))
    average = float(building.floor_area_m2) / building.households
    made = 0
    for unit in range(1, building.stairwell_units + 1):
        for floor in range(1, building.floors + 1):
            for door in range(1, per_floor_unit + 1):
                if made == building.households:
                    return
                made += 1
                area = Decimal(f"{average * rng.uniform(0.85, 1.15):.2f}")
                yield unit, f"{floor}{door:02d}", area, rng.random() < 0.85


def make_households(rng, buildings, progress) -> int:
    total_buildings = len(buildings)

    def rows():
        for done, building in enumerate(buildings, start=1):
            for unit, room, area, occupied in dwellings(rng, building):
                yield building.pk, unit, room, area, occupied
            if done % 500 == 0 or done == total_buildings:
                progress(done, total_buildings, "households")

    fields = ["building", "stairwell_unit", "room", "exclusive_area_m2", "owner_occupied"]
    return insert_rows(Household, fields, rows())
