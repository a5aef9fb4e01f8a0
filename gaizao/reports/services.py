"""District summary: totals of the census and of the eligible communities, computed from the rows.

Investment is a community's own estimate where it has one, else its floor area times its district's
default cost per m². A community built after the cut-off, or covered by another programme, is excluded.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connections

from gaizao.communities.eligibility import BUILT_AFTER_CUTOFF
from gaizao.communities.models import Building, Community
from gaizao.core import stamps
from gaizao.core.queries import query_key
from gaizao.regions.models import Area
from gaizao.regions.services import rules_for_subdistricts, subdistrict_name

ZERO = Decimal(0)
MEASURES = ("communities", "buildings", "households", "floor_area_m2", "estimated_investment_yuan")


def _bucket():
    return {m: 0 for m in MEASURES}


@dataclass
class Summary:
    total: int = 0
    eligible_count: int = 0
    excluded_by_reason: dict[str, int] = field(default_factory=dict)
    eligible: dict = field(default_factory=_bucket)
    by_subdistrict: list[dict] = field(default_factory=list)
    # Over several districts (a city's, a province's, the whole platform's summary): the same rows summed by
    # district, which the page shows instead of hundreds of sub-districts; empty within one district.
    by_district: list[dict] = field(default_factory=list)
    by_batch_year: dict[str, dict] = field(default_factory=dict)
    by_status: dict[str, dict] = field(default_factory=dict)

    @property
    def excluded(self) -> int:
        return self.total - self.eligible_count

    def as_json(self) -> dict:
        """The published shape of /api/summary/ and `gaizao summary --json`; keep these keys stable."""
        return {
            "communities": {
                "total": self.total,
                "eligible": self.eligible_count,
                "excluded": self.excluded,
                "excluded_by_reason": dict(self.excluded_by_reason),
            },
            "eligible": _rounded(self.eligible),
            "by_subdistrict": [
                {"name": row["name"], "communities": row["communities"], "eligible": row["eligible"],
                 **{m: v for m, v in _rounded(row).items() if m != "communities"}}
                for row in self.by_subdistrict
            ],
            "by_batch_year": {year: _rounded(bucket) for year, bucket in self.by_batch_year.items()},
        }


def _rounded(bucket: dict) -> dict:
    return {
        "communities": bucket["communities"],
        "buildings": bucket["buildings"],
        "households": bucket["households"],
        "floor_area_m2": round(float(bucket["floor_area_m2"]), 2),
        "estimated_investment_yuan": round(float(bucket["estimated_investment_yuan"]), 2),
    }


def _add(bucket: dict, measures: dict) -> None:
    for measure in MEASURES:
        bucket[measure] += measures[measure]


STAMP = "reports.summary"  # changed by every write of what a summary reads (see `gaizao.core.stamps`)


def watched_models() -> list:
    from gaizao.regions.models import DistrictSettings

    return [Community, Building, Area, DistrictSettings]


def district_summary(communities=None) -> Summary:
    """Summarise these communities (a queryset, already restricted to what the user may see). Kept between
    requests per scope while nothing it reads changes (a census import, an edit): at 50,000 communities it sums
    150,000 buildings in some 200 ms. The Summary returned is shared: callers must not change it."""
    if communities is None:
        communities = Community.objects.all()
    fingerprint = stamps.fingerprint(STAMP, *watched_models(), using=communities.db)
    return stamps.kept(("summary", query_key(communities)), fingerprint, lambda: _summary(communities))


def _summary(communities) -> Summary:
    """Summarise these communities.

    Summed in the database by group (sub-district × eligibility × batch × status), not community by community:
    at 50,000 communities reading every row took most of the page's 580 ms (issue #15). The investment of a
    community without its own estimate is its floor area times its sub-district's cost per m², so each group
    keeps the estimates and the floor area without one apart and the rule is applied per group; the sums are
    the same as row by row (Decimal, exact)."""
    keys = ("subdistrict_id", "is_eligible", "exclusion_reason", "batch_year", "programme_status")
    groups = _groups(communities, keys)
    found = list(Area.objects.filter(pk__in={g["subdistrict_id"] for g in groups})
                 .values_list("pk", "name", "code", "parent__code", "parent__name"))
    # Every district has its 东城办事处: beyond one district a sub-district is named with its district.
    wide = len({district for *_rest, district in found}) > 1
    names = {pk: (subdistrict_name(name, district, wide), code) for pk, name, code, _dc, district in found}
    district_of = {pk: (district_code or "", district) for pk, _name, _code, district_code, district in found}
    rules = rules_for_subdistricts({g["subdistrict_id"] for g in groups})
    summary = Summary()
    reasons: dict[str, int] = defaultdict(int)
    subdistricts: dict[int, dict] = {}
    batches: dict[int, dict] = defaultdict(_bucket)
    statuses: dict[str, dict] = defaultdict(_bucket)
    for group in groups:
        summary.total += group["n"]
        sub = subdistricts.setdefault(
            group["subdistrict_id"],
            {"name": names[group["subdistrict_id"]][0], "code": names[group["subdistrict_id"]][1],
             "id": group["subdistrict_id"],
             "eligible": 0, **_bucket()},
        )
        if not group["is_eligible"]:
            reasons[group["exclusion_reason"] or BUILT_AFTER_CUTOFF] += group["n"]
            sub["communities"] += group["n"]
            continue
        _cutoff, cost_per_m2 = rules[group["subdistrict_id"]]
        measures = {
            "communities": group["n"], "buildings": int(group["buildings"] or 0),
            "households": int(group["households"] or 0), "floor_area_m2": _decimal(group["floor_area"]),
            "estimated_investment_yuan": _decimal(group["estimates"]) + _decimal(group["unestimated"]) * cost_per_m2,
        }
        summary.eligible_count += group["n"]
        _add(summary.eligible, measures)
        # The sub-district row counts all its communities but measures only the eligible ones, so that the
        # rows add up to the eligible totals.
        _add(sub, measures)
        sub["eligible"] += group["n"]
        if group["batch_year"] is not None:
            _add(batches[group["batch_year"]], measures)
        _add(statuses[group["programme_status"]], measures)
    summary.excluded_by_reason = dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    summary.by_subdistrict = sorted(subdistricts.values(), key=lambda s: (s["code"] or "", s["name"]))
    if wide:
        districts: dict[tuple, dict] = {}
        for sub in summary.by_subdistrict:
            code, name = district_of[sub["id"]]
            row = districts.setdefault((code, name), {"code": code, "name": name, "eligible": 0, **_bucket()})
            row["eligible"] += sub["eligible"]
            _add(row, sub)
        summary.by_district = sorted(districts.values(), key=lambda d: (d["code"], d["name"]))
    summary.by_batch_year = {str(year): batches[year] for year in sorted(batches)}
    summary.by_status = dict(statuses)
    return summary


CENT = Decimal("0.01")


def _decimal(value) -> Decimal:
    """A sum of yuan or m² (both kept to the cent). SQLite sums decimals as floats: back to cents, as the ORM's
    own converter does; PostgreSQL's exact sums are left as they are."""
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(str(value)).quantize(CENT)


def _groups(communities, keys) -> list[dict]:
    """The communities' counts and sums per group of `keys`, with their buildings' totals. One statement: the
    buildings are summed per community first (an integer key) and joined to their communities, instead of
    grouping a join of every building by five columns (145 ms at 250,000 buildings; Django's ORM cannot join an
    aggregated subquery, hence the SQL)."""
    try:
        scope, params = (communities.order_by().values("pk").query.get_compiler(using=communities.db).as_sql())
    except EmptyResultSet:  # .none(): someone who may see no community
        return []
    columns = ", ".join(f"c.{key}" for key in keys)
    sql = f"""
        SELECT {columns}, COUNT(*), SUM(c.investment_estimate), SUM(b.n), SUM(b.households), SUM(b.floor_area),
               SUM(CASE WHEN c.investment_estimate IS NULL THEN b.floor_area END)
        FROM {Community._meta.db_table} c
        LEFT JOIN (SELECT community_id, COUNT(*) AS n, SUM(households) AS households,
                          SUM(floor_area_m2) AS floor_area
                   FROM {Building._meta.db_table} GROUP BY community_id) b ON b.community_id = c.id
        WHERE c.id IN ({scope})
        GROUP BY {columns}"""
    names = (*keys, "n", "estimates", "buildings", "households", "floor_area", "unestimated")
    with connections[communities.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
