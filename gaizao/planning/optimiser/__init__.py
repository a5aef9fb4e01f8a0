"""The five-year programme optimiser (issue 3, item 5): which community starts its works in which year.

A community whose basic work starts in year t of T earns need_score × households × (T − t + 1); its upgrade work,
no earlier than the basic work, earns upgrade_weight times that for its own year. Each year's spend (basic and
upgrade) stays within the budget, and the households and communities starting works within the capacities;
pins, exclusions and earliest years hold. See solve.py for the method.
"""

from gaizao.planning.optimiser.check import check_plan
from gaizao.planning.optimiser.data import REASONS, Candidate, InfeasiblePins, Placement, PlanInput, PlanResult
from gaizao.planning.optimiser.solve import greedy, optimise, result_json

__all__ = ["REASONS", "Candidate", "InfeasiblePins", "Placement", "PlanInput", "PlanResult", "check_plan",
           "greedy", "optimise", "result_json"]
