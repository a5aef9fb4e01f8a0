"""The five-year programme optimiser (issues 3 and 17): which community starts its works in which year.

A community whose basic work starts in year t of T earns need_score × households × (T − t + 1); its upgrade work,
no earlier than the basic work, earns upgrade_weight times that for its own year. Each year's sources must be able
to pay that year's basic and upgrade spending (spread by the cash flow), each source paying only what it may; the
households and communities starting works stay within the capacities, per year and per sub-district; pins,
exclusions, earliest years and the frozen part of the adopted plan hold; every other community that leaves its
adopted year costs the move penalty. See solve.py for the method.
"""

from gaizao.planning.optimiser.check import check_plan
from gaizao.planning.optimiser.data import (
    MOVE_REASONS,
    PAYS,
    REASONS,
    Adopted,
    Candidate,
    InfeasiblePins,
    Placement,
    PlanInput,
    PlanResult,
    Source,
)
from gaizao.planning.optimiser.solve import greedy, optimise, result_json

__all__ = ["MOVE_REASONS", "PAYS", "REASONS", "Adopted", "Candidate", "InfeasiblePins", "Placement", "PlanInput",
           "PlanResult", "Source", "check_plan", "greedy", "optimise", "result_json"]
