"""The optimiser's public data: what goes in (candidates, budgets, capacities) and what comes out (a plan)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    code: str
    cost_yuan: float  # basic + improvement work (基础类/完善类)
    households: int
    need_score: float
    subdistrict: str = ""
    earliest_year: int | None = None
    pinned_year: int | None = None  # staff pinned the community's basic work to this year
    excluded: bool = False  # staff kept it out
    upgrade_cost_yuan: float = 0.0  # 提升类 work (elevators, smart community …); 0 = none


@dataclass(frozen=True)
class PlanInput:
    years: list[int]  # e.g. [2021, ..., 2025]
    budgets: dict[int, float]  # yuan per year
    capacity_households: dict[int, int] | None = None  # households starting works per year; a missing year = no cap
    capacity_communities: dict[int, int] | None = None
    upgrade_weight: float = 0.25


@dataclass(slots=True)
class Placement:
    code: str
    year: int | None  # basic work year, None = unscheduled
    upgrade_year: int | None  # None when no upgrade or unscheduled
    reason: str  # machine code: see REASONS
    detail: dict = field(default_factory=dict)  # e.g. {"blocked_years": [2021, 2022], "binding": "budget"}


@dataclass
class PlanResult:
    objective: float
    lp_bound: float  # a proven upper bound: the LP relaxation (Lagrangian dual) or the MIP's dual bound
    gap: float  # (lp_bound - objective) / lp_bound, 0 when the bound is 0
    greedy_objective: float
    method: str  # "mip", "lagrangian-core", "greedy", …
    seconds: float
    years: dict[int, dict]  # {"communities", "cost_yuan", "households", "upgrades", "budget_left"}
    unscheduled: list[str]
    placements: dict[str, Placement]


REASONS = {
    "pinned": "staff pinned the basic work to this year",
    "excluded": "staff kept the community out",
    "earliest_year": "could not start sooner (earliest year)",
    "first_year": "in the first possible year",
    "budget": "an earlier year's budget was full",
    "capacity_households": "an earlier year's household capacity was full",
    "capacity_communities": "an earlier year's community capacity was full",
    "unscheduled_budget": "no year had budget left for it",
    "unscheduled_capacity": "no year had capacity left for it",
    "unscheduled_value": "left out as not worth it",
}

CONSTRAINTS = ("budget", "capacity_households", "capacity_communities")


class InfeasiblePins(Exception):
    """The pinned communities alone exceed a year's budget or capacity."""

    def __init__(self, problems: list[dict]):
        self.problems = problems  # [{"year", "constraint", "excess"}]
        text = "; ".join(f"{p['year']}: {p['constraint']} exceeded by {p['excess']:g}" for p in problems)
        super().__init__(f"Pinned communities do not fit: {text}")
