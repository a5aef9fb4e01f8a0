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


PAYS = ("basic", "upgrade", "all")  # what a source may pay: basic and improvement work, upgrade work, or any
BUDGET_SOURCE = "budget"  # the one source that pays everything when only --budgets is given


@dataclass(frozen=True)
class Source:
    """A funding source of one year: its code (planning.FundingSource), amount and what it may pay."""

    code: str
    amount_yuan: float
    pays: str = "all"


@dataclass(frozen=True)
class Adopted:
    """A community's place in the adopted plan: basic year and upgrade year (None = not scheduled / none)."""

    year: int | None
    upgrade_year: int | None = None


@dataclass(frozen=True)
class PlanInput:
    years: list[int]  # e.g. [2021, ..., 2025]
    budgets: dict[int, float] | None = None  # yuan per year: one source that pays everything
    capacity_households: dict[int, int] | None = None  # households starting works per year; a missing year = no cap
    capacity_communities: dict[int, int] | None = None
    upgrade_weight: float = 0.25
    funding: dict[int, list[Source]] | None = None  # per year, in the order they are spent; replaces budgets
    cash_flow: tuple[float, ...] = (1.0,)  # share of a cost spent in its start year, the next year, …
    # communities starting basic work per sub-district and year: {subdistrict: {year: n}}; "*" = every sub-district
    capacity_subdistrict: dict[str, dict[int, int]] | None = None
    previous: dict[str, Adopted] | None = None  # the adopted plan, by community code
    frozen_through: int | None = None  # communities adopted in this year or earlier keep both years
    move_penalty: float = 0.0  # objective units per community whose basic year differs from the adopted plan


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
    funding: dict[int, dict[str, float]] = field(default_factory=dict)  # {year: {source: yuan used}}
    # {year: {source: objective per 10,000 yuan}}
    dual_values: dict[int, dict[str, float]] = field(default_factory=dict)
    moves: list[dict] = field(default_factory=list)  # [{code, from, to, reason, …}] against the adopted plan
    gross_objective: float = 0.0  # before move penalties
    previous_objective: float | None = None  # the adopted plan's value under these inputs (None: it no longer fits)
    # {year: {"basic": {source: share}, "upgrade": {source: share}}}: who pays each year's spending, for a community
    payers: dict[int, dict[str, dict[str, float]]] = field(default_factory=dict)


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
    "capacity_subdistrict": "an earlier year's sub-district capacity was full",
    "frozen": "adopted for a year already under way: kept where it is",
}

CONSTRAINTS = ("budget", "capacity_households", "capacity_communities", "capacity_subdistrict")

MOVE_REASONS = {
    "budget": "the money of a source (see source) ran out in its adopted year",
    "capacity_households": "the year's household capacity is full",
    "capacity_communities": "the year's community capacity is full",
    "capacity_subdistrict": "its sub-district's capacity is full that year",
    "pin": "staff pinned or excluded it",
    "earliest_year": "it cannot start that early any more",
    "higher_need": "its place went to communities of higher need",
    "room": "money or capacity came free in an earlier year",
}


class InfeasiblePins(Exception):
    """The pinned or frozen communities alone exceed a year's money or capacity."""

    def __init__(self, problems: list[dict]):
        # [{"year", "constraint", "excess", optional "source", "subdistrict", "communities": [frozen codes]}]
        self.problems = problems
        text = "; ".join(f"{p['year']}: {p['constraint']} exceeded by {p['excess']:g}" for p in problems)
        super().__init__(f"Pinned communities do not fit: {text}")
