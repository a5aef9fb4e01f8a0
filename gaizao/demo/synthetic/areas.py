"""Synthetic region tree: provinces, cities, districts and sub-districts with division codes the tree accepts.

Codes follow GB/T 2260's shape where there is a province: province PP0000, city PPCC00, district PPCCDD,
sub-district PPCCDDSSS, so every code starts with its parent's digits and a province's, city's or district's code
tells its level. Without a province (today's default, one city on its own) the city is `<prefix>0000` and its
districts `<prefix>DDDD`, as the generator always made them, so existing data sets and benchmarks keep their codes.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from gaizao.accounts.models import User
from gaizao.demo.synthetic import names
from gaizao.demo.synthetic.bulk import create_objects
from gaizao.regions.models import Area, DistrictSettings

COMMUNITIES_PER_DISTRICT = 400
SUBDISTRICTS_PER_DISTRICT = 7
CUTOFF_YEAR = 2000
COST_PER_M2 = Decimal("612")
# Shanxi, roughly: districts are spread over this box.
LATITUDES, LONGITUDES = (34.7, 40.6), (110.5, 114.2)


@dataclass(frozen=True)
class Layout:
    """How many provinces (0: a city on its own), cities per province (or top-level cities) and districts per
    city (None: about one per 400 communities, as a real district has)."""

    provinces: int = 0
    cities: int = 1
    districts: int | None = None

    def districts_per_city(self, communities: int) -> int:
        if self.districts is not None:
            return self.districts
        return max(1, round(communities / COMMUNITIES_PER_DISTRICT / self.city_count))

    @property
    def city_count(self) -> int:
        return max(1, self.provinces) * self.cities

    def district_count(self, communities: int) -> int:
        return self.city_count * self.districts_per_city(communities)

    @property
    def legacy(self) -> bool:
        """One city on its own: the codes the generator made before provinces (`<prefix>0000`, `<prefix>DDDD`)."""
        return self.provinces == 0 and self.cities == 1


def problem(layout: Layout, communities: int, prefix: str) -> str | None:
    """Why this combination cannot be generated (a message for the user), or None."""
    if layout.provinces < 0:
        return _("--provinces must be 0 (a city on its own) or more.")
    if layout.cities < 1:
        return _("--cities must be at least 1.")
    if layout.districts is not None and layout.districts < 1:
        return _("--districts must be at least 1.")
    districts = layout.district_count(communities)
    if communities < districts:
        return _("%(communities)s communities cannot fill %(districts)s districts: give at least as many "
                 "communities as districts, or fewer --provinces, --cities or --districts.") % {
            "communities": f"{communities:,}", "districts": f"{districts:,}"}
    if not layout.legacy and (layout.cities > 99 or layout.districts_per_city(communities) > 99):
        return _("A division code has two digits for the city and two for the district: at most 99 cities per "
                 "province and 99 districts per city.")
    if layout.provinces and (len(prefix) != 2 or int(prefix) < 11 or int(prefix) + layout.provinces - 1 > 99):
        return _("With --provinces the prefix is the first province's two-digit code (11 to 99) and the others "
                 "follow it: %(n)s provinces need a --prefix from 11 to %(last)s.") % {
            "n": layout.provinces, "last": 100 - layout.provinces}
    return None


def codes_taken(layout: Layout, prefix: str) -> bool:
    """Whether the provinces or cities this run would make are there already (another run's)."""
    if layout.provinces:
        codes = [f"{int(prefix) + p:02d}0000" for p in range(layout.provinces)]
    elif layout.legacy:
        codes = [f"{prefix}0000"]
    else:
        codes = [f"{prefix}{c:02d}00" for c in range(1, layout.cities + 1)]
    return Area.objects.filter(code__in=codes).exists()


def _cities(layout: Layout, prefix: str) -> list[Area]:
    """The cities, each with its province (saved) or none."""
    if layout.legacy:
        return [Area.objects.create(name=f"合成市{prefix}", code=f"{prefix}0000", level=Area.Level.CITY)]
    if not layout.provinces:
        return create_objects(Area, [Area(name=f"合成市{prefix}{c:02d}", code=f"{prefix}{c:02d}00",
                                          level=Area.Level.CITY) for c in range(1, layout.cities + 1)])
    provinces = create_objects(Area, [
        Area(name=f"合成{int(prefix) + p:02d}省", code=f"{int(prefix) + p:02d}0000", level=Area.Level.PROVINCE)
        for p in range(layout.provinces)])
    # Named by code, not 合成1市 in each province: a programme's name (unique) starts with its city's.
    return create_objects(Area, [Area(name=f"合成{province.code[:2]}{c:02d}市", code=f"{province.code[:2]}{c:02d}00",
                                      level=Area.Level.CITY, parent=province)
                                 for province in provinces for c in range(1, layout.cities + 1)])


def _district_code(city: Area, number: int, legacy: bool) -> str:
    return f"{city.code[:-4]}{number:04d}" if legacy else f"{city.code[:4]}{number:02d}"


def make_areas(rng, communities: int, code_prefix: str, layout: Layout | None = None) -> list[Area]:
    """The provinces, cities, districts and their sub-districts; returns the sub-districts, each with its district
    (and the district with its city). A district's centre is drawn in the order the districts are made, so the
    default layout gives the same data for a seed as before provinces were made."""
    layout = layout or Layout()
    per_city = layout.districts_per_city(communities)
    districts = [Area(name=f"合成{d}区", code=_district_code(city, d, layout.legacy), level=Area.Level.DISTRICT,
                      parent=city)
                 for city in _cities(layout, code_prefix) for d in range(1, per_city + 1)]
    for district in districts:
        district.centre = (rng.uniform(*LATITUDES), rng.uniform(*LONGITUDES))
    create_objects(Area, districts)
    create_objects(DistrictSettings, [DistrictSettings(district=d, cutoff_year=CUTOFF_YEAR,
                                                       default_cost_per_m2=COST_PER_M2) for d in districts])
    subdistricts = [Area(name=f"{names.SUBDISTRICTS[s - 1]}办事处", code=f"{district.code}{s:03d}",
                         level=Area.Level.SUBDISTRICT, parent=district)
                    for district in districts for s in range(1, SUBDISTRICTS_PER_DISTRICT + 1)]
    return create_objects(Area, subdistricts)


def spread(count: int, subdistricts: list[Area]):
    """The sub-district of each community: districts in turn, then each district's sub-districts in turn, so every
    district gets its share even when there are fewer communities than sub-districts. With one district this is
    the round the generator always made."""
    by_district: dict[int, list[Area]] = {}
    for sub in subdistricts:
        by_district.setdefault(sub.parent_id, []).append(sub)
    groups = list(by_district.values())
    for n in range(count):
        group = groups[n % len(groups)]
        yield group[(n // len(groups)) % len(group)]


def account_specs(subdistricts: list[Area]) -> list[tuple]:
    """(username, role, full name, sub-district, area) of the accounts above the officers: each district's own
    bureau (`bureau-<code>`, working in its district only) and a scoped leader for each city and province
    (`leader-<code>`, read only); User.area and gaizao.accounts.scope."""
    districts = list({s.parent_id: s.district for s in subdistricts}.values())
    cities = list({d.parent_id: d.parent for d in districts}.values())
    provinces = list({c.parent_id: c.parent for c in cities if c.parent_id}.values())
    specs = [(f"bureau-{d.code}", User.Role.BUREAU, f"{d.name}住建局", None, d) for d in districts]
    specs += [(f"leader-{a.code}", User.Role.LEADER, f"{a.name}领导", None, a) for a in provinces + cities]
    return specs
