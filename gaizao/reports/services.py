"""District summary: totals of the census and of the eligible communities, computed from the rows.

Investment is a community's own estimate where it has one, else its floor area times its district's
default cost per m². A community built after the cut-off, or covered by another programme, is excluded.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from gaizao.communities.eligibility import BUILT_AFTER_CUTOFF
from gaizao.communities.models import Community
from gaizao.regions.services import rules_for_subdistricts

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


def _add(bucket: dict, row: dict, investment: Decimal) -> None:
    bucket["communities"] += 1
    bucket["buildings"] += row["building_count"]
    bucket["households"] += row["household_total"]
    bucket["floor_area_m2"] += Decimal(row["floor_area_total"] or 0)
    bucket["estimated_investment_yuan"] += investment


def district_summary(communities=None) -> Summary:
    """Summarise these communities (a queryset, already restricted to what the user may see)."""
    if communities is None:
        communities = Community.objects.all()
    rows = list(
        communities.with_building_totals().values(
            "subdistrict_id", "subdistrict__name", "subdistrict__code", "is_eligible", "exclusion_reason",
            "batch_year", "programme_status", "investment_estimate", "building_count", "household_total",
            "floor_area_total",
        )
    )
    rules = rules_for_subdistricts({r["subdistrict_id"] for r in rows})
    summary = Summary(total=len(rows))
    reasons: dict[str, int] = defaultdict(int)
    subdistricts: dict[int, dict] = {}
    batches: dict[int, dict] = defaultdict(_bucket)
    statuses: dict[str, dict] = defaultdict(_bucket)
    for row in rows:
        sub = subdistricts.setdefault(
            row["subdistrict_id"],
            {"name": row["subdistrict__name"], "code": row["subdistrict__code"], "id": row["subdistrict_id"],
             "eligible": 0, **_bucket()},
        )
        if not row["is_eligible"]:
            reasons[row["exclusion_reason"] or BUILT_AFTER_CUTOFF] += 1
            sub["communities"] += 1
            continue
        _cutoff, cost_per_m2 = rules[row["subdistrict_id"]]
        investment = row["investment_estimate"]
        if investment is None:
            investment = Decimal(row["floor_area_total"] or 0) * cost_per_m2
        summary.eligible_count += 1
        _add(summary.eligible, row, investment)
        # The sub-district row counts all its communities but measures only the eligible ones, so that the
        # rows add up to the eligible totals.
        _add(sub, row, investment)
        sub["eligible"] += 1
        if row["batch_year"] is not None:
            _add(batches[row["batch_year"]], row, investment)
        _add(statuses[row["programme_status"]], row, investment)
    summary.excluded_by_reason = dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    summary.by_subdistrict = sorted(subdistricts.values(), key=lambda s: (s["code"] or "", s["name"]))
    summary.by_batch_year = {str(year): batches[year] for year in sorted(batches)}
    summary.by_status = dict(statuses)
    return summary
