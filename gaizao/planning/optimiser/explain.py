"""Why each community landed in its year, and why each moved from the adopted plan, read off the final plan.

A community later than its first possible year is explained by what was full in each earlier year: its spending
(through the cash flow) against the money left, its households against the household capacity left, one more
community against the community or sub-district capacity left. The polish step guarantees one of them is full in
every such year, unless keeping the adopted year was worth more (the move penalty).
"""

from collections.abc import Mapping

import numpy as np

from gaizao.planning.optimiser.data import CONSTRAINTS, Candidate, Placement
from gaizao.planning.optimiser.instance import NO_PREVIOUS, TOLERANCE, Instance, Schedule, complete, room, usage

NOT_BLOCKED = -1
BUDGET, HOUSEHOLDS, COMMUNITIES, SUBDISTRICT = range(4)


def blocking(inst: Instance, plan: Schedule) -> tuple[np.ndarray, np.ndarray]:
    """N × T: which constraint (index into CONSTRAINTS) keeps each community's basic work out of year s, given
    what the plan leaves free (its own use counts as free); and N × T: the year whose money ran out (−1)."""
    left = room(inst, plan)
    t, n = inst.t, inst.n
    code = np.full((n, t), NOT_BLOCKED, dtype=np.int8)
    money_year = np.full((n, t), -1, dtype=np.int64)
    own_start = plan.basic
    years = np.arange(t)
    own = own_start[:, None] == years[None, :]
    if inst.d:
        code[left.S[inst.sd] + own < 1 - TOLERANCE] = SUBDISTRICT
    code[(left.K[None, :] + own) < 1 - TOLERANCE] = COMMUNITIES
    code[inst.households[:, None] > left.H[None, :] + np.where(own, inst.households[:, None], 0) + TOLERANCE] = \
        HOUSEHOLDS
    lags = len(inst.shares)
    for k, share in enumerate(inst.shares):
        if not share:
            continue
        y = years + k
        inside = y < t
        yy = np.minimum(y, t - 1)
        lag_of_own = yy[None, :] - own_start[:, None]
        own_share = np.where((own_start[:, None] >= 0) & (lag_of_own >= 0) & (lag_of_own < lags),
                             inst.shares[np.clip(lag_of_own, 0, lags - 1)], 0.0)
        own_money = inst.cost[:, None] * own_share
        short = (inst.cost[:, None] * share > np.minimum(left.B[yy], left.M[yy])[None, :] + own_money + TOLERANCE)
        short &= inside[None, :]
        fresh = short & (money_year < 0)
        money_year[fresh] = np.broadcast_to(yy[None, :], short.shape)[fresh]
        code[short] = BUDGET
    return code, money_year


def short_sources(inst: Instance, whole: Schedule) -> list[list[str]]:
    """Per year, the sources that may pay basic work and were all spent, in spending order (the last one is where
    the next yuan would have come from). `whole` includes the frozen communities."""
    used = usage(inst, whole)
    out = []
    for k, year in enumerate(inst.years):
        for_basic, for_upgrade = inst.sources.allocate(year, float(used.B[k]), float(used.U[k]))
        out.append([s.code for s in inst.sources.by_year.get(year, []) if s.pays in ("basic", "all")
                    and for_basic.get(s.code, 0.0) + for_upgrade.get(s.code, 0.0) >= s.amount_yuan - 1.0])
    return out


class LazyPlacements(Mapping):
    """Each community's placement, worked out on first use: the command line and the benchmark never read them,
    and at 220,000 communities they take seconds."""

    def __init__(self, make):
        self._make = make
        self._made: dict | None = None

    def _all(self) -> dict:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, code):
        return self._all()[code]

    def __iter__(self):
        return iter(self._all())

    def __len__(self):
        return len(self._all())

    @property
    def made(self) -> bool:
        return self._made is not None


def placements(inst: Instance, plan: Schedule, candidates: list[Candidate], whole: Schedule) -> dict[str, Placement]:
    """plan: the free communities' schedule (what the limits are measured on); whole: with the frozen ones."""
    code, _money = blocking(inst, plan)
    years = inst.years
    t = inst.t
    basic_all = whole.basic
    steps = np.arange(t)
    end = np.where(basic_all >= 0, basic_all, t)
    span = (steps[None, :] >= inst.first[:, None]) & (steps[None, :] < end[:, None])
    blocked = span & (code != NOT_BLOCKED)
    counts = np.stack([(blocked & (code == k)).sum(axis=1) for k in range(len(CONSTRAINTS))], axis=1)
    binding = np.argmax(counts, axis=1)  # the most years; budget first on a tie
    n_blocked = blocked.sum(axis=1)
    n_span = span.sum(axis=1)
    mixed = (counts > 0).sum(axis=1) > 1
    left_u = room(inst, plan)
    upgrade_room = np.minimum(left_u.U, left_u.M)
    # plain lists of the rows the loop reads: much faster than numpy on five-element rows
    explained = ~inst.frozen & ~inst.excluded & (inst.pin < 0) & (inst.first < t) & ~(
        (basic_all >= 0) & (basic_all == inst.first))
    row_of = np.full(inst.n, -1, dtype=np.int64)
    row_of[explained] = np.arange(int(explained.sum()))
    blocked_rows = blocked[explained].tolist()
    code_rows = code[explained].tolist()
    out = {}
    for i, c in enumerate(candidates):
        basic = int(basic_all[i])
        year = years[basic] if basic >= 0 else None
        upgrade = years[int(whole.upgrade[i])] if whole.upgrade[i] >= 0 else None
        detail = {}
        if inst.frozen[i]:
            reason = "frozen"
        elif c.excluded:
            reason = "excluded"
        elif inst.pin[i] >= 0:
            reason = "pinned"
        elif inst.first[i] >= t:
            reason, detail = "earliest_year", {"earliest_year": c.earliest_year}
        elif basic >= 0 and basic == inst.first[i]:
            reason = "earliest_year" if inst.first[i] > 0 else "first_year"
            if reason == "earliest_year":
                detail = {"earliest_year": c.earliest_year}
        else:
            row = row_of[i]
            when = [years[s] for s, hit in enumerate(blocked_rows[row]) if hit]
            name = CONSTRAINTS[binding[i]] if n_blocked[i] else "budget"
            if basic >= 0:
                reason, detail = name, {"blocked_years": when, "binding": name}
            elif n_blocked[i] < n_span[i]:
                reason, detail = "unscheduled_value", {"blocked_years": when}
            else:
                reason = "unscheduled_budget" if name == "budget" else "unscheduled_capacity"
                detail = {"blocked_years": when, "binding": name}
            if mixed[i]:
                detail["by_year"] = {years[s]: CONSTRAINTS[code_rows[row][s]] for s, hit in enumerate(blocked_rows[row])
                                     if hit}
        if upgrade is None and c.upgrade_cost_yuan > 0 and basic >= 0:
            need = c.upgrade_cost_yuan * inst.shares[0]
            detail["upgrade_blocked_years"] = [years[s] for s in range(basic, t) if upgrade_room[s] < need]
        out[c.code] = Placement(c.code, year, upgrade, reason, detail)
    return out


def moves(inst: Instance, plan: Schedule) -> list[dict]:
    """Each community whose basic year differs from the adopted plan, with the reason."""
    code, money_year = blocking(inst, plan)
    years = inst.years
    exhausted_by_year = short_sources(inst, complete(inst, plan))
    out = []
    has = (inst.prev > NO_PREVIOUS) & ~inst.frozen
    now = plan.basic
    was = np.where(inst.prev >= 0, inst.prev, -1)
    for i in np.flatnonzero(has & (now != was)):
        move = {"code": inst.codes[i], "from": years[was[i]] if was[i] >= 0 else None,
                "to": years[now[i]] if now[i] >= 0 else None}
        if inst.excluded[i] or (inst.pin[i] >= 0 and inst.pin[i] != was[i]):
            move["reason"] = "pin"
        elif was[i] >= 0 and inst.first[i] > was[i]:
            move["reason"] = "earliest_year"
        elif was[i] < 0 or (0 <= now[i] < was[i]):
            move["reason"] = "room"
        elif code[i, was[i]] == NOT_BLOCKED:
            move["reason"] = "higher_need"
        else:
            move["reason"] = CONSTRAINTS[code[i, was[i]]]
            if move["reason"] == "budget":
                spent = int(money_year[i, was[i]])
                move["year"] = years[spent]
                exhausted = exhausted_by_year[spent]
                move["sources"] = exhausted
                move["source"] = exhausted[-1] if exhausted else None
            elif move["reason"] == "capacity_subdistrict":
                move["subdistrict"] = inst.subdistricts[inst.sd[i]]
        out.append(move)
    return out
