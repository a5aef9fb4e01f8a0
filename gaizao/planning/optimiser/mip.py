"""The mixed-integer model in HiGHS, built from numpy arrays (CSC) for a subset of the communities.

Columns: x[i, s] = basic work of community i starts in year s; u[i, t] = its upgrade work is done in year t.
Rows: Σ_s x[i, s] ≤ 1; for every year k, Σ_{t ≤ k} u[i, t] − Σ_{s ≤ k} x[i, s] ≤ 0 (upgrade no earlier than the basic
work, and only with it); the money rows B, U, M per year (a start in s spends its cost by the cash-flow shares in
s, s + 1, …); households and communities starting per year; communities starting per sub-district and year.
The rest of the communities (outside the subset) are fixed by the caller, who passes what is left of each limit.
HiGHS stops on a node limit, never on the clock unless the caller asks: the same model gives the same plan.
"""

from dataclasses import dataclass

import highspy
import numpy as np

from gaizao.planning.optimiser.highs import new_highs
from gaizao.planning.optimiser.instance import Instance, Schedule, Use

FEASIBILITY = 1e-7
FAMILIES = ("B", "U", "M", "H", "K")


@dataclass
class SubModel:
    highs: highspy.Highs
    members: np.ndarray  # community indices in the model
    col_member: np.ndarray  # local member index per column
    col_year: np.ndarray
    col_upgrade: np.ndarray  # bool: an upgrade column
    offset: float
    coupling: dict  # family -> (row index per year or −1, scale of the row); "S" -> (D × T rows, 1.0)


def build(inst: Instance, members: np.ndarray, room: Use, offset: float = 0.0, integer: bool = True,
          years: np.ndarray | None = None) -> SubModel:
    """The model over `members`, within `room`; `years` (bool per year) narrows the years. The objective is the
    members' option values (values(): with the bonus of staying put) plus offset."""
    t = inst.t
    k = len(members)
    allowed = inst.allowed()[members]
    if years is not None:
        allowed &= years[None, :]
    first = np.where(inst.pin[members] >= 0, inst.pin[members], inst.first[members])
    up = inst.has_upgrade[members]
    up_allowed = up[:, None] & (np.arange(t)[None, :] >= first[:, None]) & allowed.any(axis=1)[:, None]
    if years is not None:
        up_allowed &= years[None, :]
    xi, xt = np.nonzero(allowed)
    ui, ut = np.nonzero(up_allowed)
    nx, nu = len(xi), len(ui)
    col_member = np.r_[xi, ui]
    col_year = np.r_[xt, ut]
    col_upgrade = np.r_[np.zeros(nx, dtype=bool), np.ones(nu, dtype=bool)]
    basic_value, none_value = inst.values()
    pinned = inst.pin[members] >= 0
    none = np.where(pinned, 0.0, none_value[members])
    w = inst.weight[members]
    cost = np.r_[basic_value[members][xi, xt] - none[xi], inst.alpha * w[ui] * inst.year_value()[ut]]
    offset = float(offset) + float(np.sum(none))

    assign_row = np.full(k, -1, dtype=np.int64)
    free = np.flatnonzero(~pinned)
    assign_row[free] = np.arange(len(free))
    n_rows = len(free)
    order_row = np.full((k, t), -1, dtype=np.int64)
    oi, ok = np.nonzero(up_allowed)
    order_row[oi, ok] = n_rows + np.arange(len(oi))
    n_rows += len(oi)
    money = max(1.0, float(np.median(inst.cost[members])) / 1000) if k else 1.0
    coupling = {}
    lower, upper = [np.full(n_rows, -highspy.kHighsInf)], [np.zeros(n_rows)]
    upper[0][: len(free)] = 1.0
    rooms = dict(zip(FAMILIES, room.parts()[:5], strict=True))
    for name in FAMILIES:
        scale = money if name in "BUM" else 1.0
        rows = np.full(t, -1, dtype=np.int64)
        finite = np.flatnonzero(np.isfinite(rooms[name]))
        rows[finite] = n_rows + np.arange(len(finite))
        n_rows += len(finite)
        lower.append(np.full(len(finite), -highspy.kHighsInf))
        upper.append(rooms[name][finite] / scale)
        coupling[name] = (rows, scale)
    s_rows = np.full(room.S.shape, -1, dtype=np.int64)
    used_sd = np.zeros(room.S.shape, dtype=bool)
    if k and room.S.size:
        used_sd[inst.sd[members][xi], xt] = True
    finite = np.isfinite(room.S) & used_sd
    s_rows[finite] = n_rows + np.arange(int(finite.sum()))
    n_rows += int(finite.sum())
    lower.append(np.full(int(finite.sum()), -highspy.kHighsInf))
    upper.append(room.S[finite])
    coupling["S"] = (s_rows, 1.0)

    entries_col, entries_row, entries_val = [], [], []

    def add(cols, rows, vals):
        keep = rows >= 0
        entries_col.append(cols[keep])
        entries_row.append(rows[keep])
        entries_val.append(np.broadcast_to(vals, cols.shape)[keep].astype(float))

    xcols = np.arange(nx)
    ucols = nx + np.arange(nu)
    add(xcols, assign_row[xi], 1.0)
    for cols, mi, yi, sign in ((xcols, xi, xt, -1.0), (ucols, ui, ut, 1.0)):
        for later in range(t):
            sel = yi <= later
            add(cols[sel], order_row[mi[sel], later], sign)
    padded = {name: np.r_[coupling[name][0], np.full(len(inst.shares), -1)] for name in "BUM"}
    for lag, share in enumerate(inst.shares):
        if not share:
            continue
        for name, cols, yi, amount in (("B", xcols, xt, inst.cost[members][xi]),
                                       ("M", xcols, xt, inst.cost[members][xi]),
                                       ("U", ucols, ut, inst.upgrade_cost[members][ui]),
                                       ("M", ucols, ut, inst.upgrade_cost[members][ui])):
            add(cols, padded[name][yi + lag], amount * share / money)
    add(xcols, coupling["H"][0][xt], inst.households[members][xi])
    add(xcols, coupling["K"][0][xt], 1.0)
    if k and room.S.size:
        add(xcols, s_rows[inst.sd[members][xi], xt], 1.0)

    col = np.concatenate(entries_col)
    row = np.concatenate(entries_row)
    val = np.concatenate(entries_val)
    order = np.argsort(col, kind="stable")
    n_cols = nx + nu
    start = np.r_[0, np.cumsum(np.bincount(col, minlength=n_cols))].astype(np.int32)
    col_lower = np.zeros(n_cols)
    col_lower[:nx][pinned[xi]] = 1.0
    highs = new_highs()
    highs.setOptionValue("random_seed", 7)
    highs.setOptionValue("mip_feasibility_tolerance", FEASIBILITY)
    highs.setOptionValue("primal_feasibility_tolerance", FEASIBILITY)
    integrality = np.ones(n_cols, dtype=np.int32) if integer else np.zeros(n_cols, dtype=np.int32)
    highs.passModel(n_cols, n_rows, len(val), 1, -1, offset, cost, col_lower, np.ones(n_cols),
                    np.concatenate(lower), np.concatenate(upper), start[:-1] if n_cols else np.zeros(0, np.int32),
                    row[order].astype(np.int32), val[order], integrality)
    return SubModel(highs, members, col_member, col_year, col_upgrade, offset, coupling)


def solve_relaxation(sub: SubModel) -> tuple[np.ndarray, float, dict[str, np.ndarray]] | None:
    """The LP relaxation: column values, objective, and the prices of the coupling rows per unit (≥ 0) by family
    (B, U, M, H, K per year; S per sub-district and year) — the multipliers for the Lagrangian bound."""
    highs = sub.highs
    n = highs.getNumCol()
    if n:
        highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.zeros(n, dtype=np.uint8))
    highs.run()
    status = highs.getModelStatus()
    if n:
        highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.ones(n, dtype=np.uint8))
    if status != highspy.HighsModelStatus.kOptimal:
        return None
    solution = highs.getSolution()
    duals = np.abs(np.array(solution.row_dual))
    prices = {}
    for name, (rows, scale) in sub.coupling.items():
        price = np.zeros(rows.shape)
        present = rows >= 0
        price[present] = duals[rows[present]] / scale
        prices[name] = price
    return np.array(solution.col_value), float(highs.getInfo().objective_function_value), prices


def schedule_from(sub: SubModel, values: np.ndarray, plan: Schedule, threshold: float = 0.5) -> Schedule:
    """Write the members' years from column values (taken when above threshold) into a copy of plan."""
    chosen = values > threshold
    out = plan.copy()
    out.basic[sub.members] = -1
    out.upgrade[sub.members] = -1
    xsel = chosen & ~sub.col_upgrade
    usel = chosen & sub.col_upgrade
    out.basic[sub.members[sub.col_member[xsel]]] = sub.col_year[xsel]
    out.upgrade[sub.members[sub.col_member[usel]]] = sub.col_year[usel]
    return out


def start_vector(sub: SubModel, plan: Schedule) -> np.ndarray:
    basic = plan.basic[sub.members][sub.col_member]
    upgrade = plan.upgrade[sub.members][sub.col_member]
    return np.where(sub.col_upgrade, upgrade == sub.col_year, basic == sub.col_year).astype(float)


def solve(sub: SubModel, plan: Schedule, *, nodes: int, rel_gap: float, time_limit: float | None = None
          ) -> tuple[Schedule | None, float, float]:
    """Branch-and-bound from a feasible start, at most `nodes` nodes; write the members' years into a copy of
    plan. Returns (plan, value, bound)."""
    highs = sub.highs
    highs.setOptionValue("mip_max_nodes", int(nodes))
    highs.setOptionValue("mip_rel_gap", rel_gap)
    if time_limit is not None:
        highs.setOptionValue("time_limit", max(0.05, float(time_limit)))
    x0 = start_vector(sub, plan)
    if len(x0):
        highs.setSolution(len(x0), np.arange(len(x0), dtype=np.int32), x0)
    highs.run()
    info = highs.getInfo()
    if info.primal_solution_status != 2:  # no feasible solution
        return None, -np.inf, np.inf
    out = schedule_from(sub, np.array(highs.getSolution().col_value), plan)
    return out, float(info.objective_function_value), float(info.mip_dual_bound)
