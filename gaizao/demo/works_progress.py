"""The demo's progress reports, from each project's start up to the newspaper's date.

A project's progress follows a clock (how far its works have come by REPORT_DAY); each work item is done in its
own part of that clock (demolition and pipes first, windows and insulation next, paint, roads and greening last).
The quantities of the ten published items are then shared out among the started projects so that their sums
are the newspaper's to the unit.
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from gaizao.catalog.models import Unit
from gaizao.demo.yanhu import DAY
from gaizao.works.models import ProgressEntry, Project

REPORT_DAY = DAY  # the newspaper page
STARTED = 37
# Published on 2021-11-25: quantities done per catalog item, in the item's unit.
NEWSPAPER_TOTALS = {
    "JC01": 2000,  # m² illegal structures removed
    "JC02": 3710,  # households of PVC windows
    "JC03": 123000,  # m² wall insulation
    "JC04": 14000,  # m² roof waterproofing
    "JC05": 25000,  # m² stairwell paint
    "JC06": 35000,  # m² exterior paint
    "JC07": 6894,  # m power and telecom trenches
    "JC08": 3188,  # m sewer
    "JC10": 4632,  # m heating
    "JC11": 245,  # m water supply
}

# When in a project's clock (0 = start, 1 = all done) each item is done: (from, to).
WINDOWS = {
    "JC01": (0.00, 0.20), "JC07": (0.02, 0.55), "JC08": (0.02, 0.60), "JC09": (0.05, 0.65),
    "JC10": (0.02, 0.50), "JC11": (0.05, 0.70), "JC12": (0.10, 0.65), "JC04": (0.10, 0.65),
    "JC02": (0.12, 0.70), "JC03": (0.15, 0.75), "JC06": (0.30, 0.85), "JC05": (0.30, 0.90),
    "JC16": (0.45, 0.95), "JC14": (0.40, 0.95), "WS02": (0.50, 1.00), "JC17": (0.55, 1.00),
    "WS05": (0.55, 1.00), "JC13": (0.40, 1.00), "WS01": (0.55, 1.00), "WS03": (0.65, 1.00),
    "WS04": (0.65, 1.00), "WS06": (0.45, 1.10), "TS01": (0.60, 1.10), "TS02": (0.60, 1.10),
    "TS03": (0.55, 1.10),
}
WHOLE_UNITS = {Unit.SQUARE_METRE, Unit.METRE, Unit.HOUSEHOLD, Unit.ELEVATOR, Unit.PIECE, Unit.DOOR, Unit.LAMP}
ONE = Decimal(1)
CENT = Decimal("0.01")


class DemoProject:
    """A project the demo created, with what its progress reports need."""

    def __init__(self, project, clock, manager, items):
        self.project = project
        self.clock = clock  # how far its works have come on REPORT_DAY (0 when not started)
        self.manager = manager
        self.items = items  # ProjectItem with plan_item and item selected


def days_after(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def _window(clock: float, low: float, high: float) -> float:
    return min(1.0, max(0.0, (clock - low) / (high - low)))


def _step(item) -> Decimal:
    return ONE if item.unit in WHOLE_UNITS else CENT


def _allocate(total: int, weights: list[float], caps: list[int]) -> list[int]:
    """Whole numbers adding up to total, in proportion to the weights as far as no cap is passed."""
    if sum(caps) < total:
        raise RuntimeError(f"cannot place {total} within {sum(caps)}")
    if sum(c for w, c in zip(weights, caps, strict=True) if w > 0) < total:
        weights = [w if w > 0 else float(c) for w, c in zip(weights, caps, strict=True)]
    shares = [0.0] * len(caps)
    free = [i for i, w in enumerate(weights) if w > 0 and caps[i] > 0]
    left = float(total)
    while free:
        scale = left / sum(weights[i] for i in free)
        full = [i for i in free if scale * weights[i] >= caps[i]]
        if not full:
            for i in free:
                shares[i] = scale * weights[i]
            break
        for i in full:
            shares[i] = float(caps[i])
            left -= caps[i]
        free = [i for i in free if i not in full]
    placed = [min(int(s), c) for s, c in zip(shares, caps, strict=True)]
    order = sorted(range(len(caps)), key=lambda i: (-(shares[i] - int(shares[i])), i))
    while sum(placed) < total:
        for i in order:
            if sum(placed) == total:
                break
            if placed[i] < caps[i] and shares[i] > 0:
                placed[i] += 1
        order = [i for i in order if placed[i] < caps[i]]
    return placed


def report_progress(rng, projects: list[DemoProject]) -> None:
    started = [p for p in projects if p.clock > 0]
    assert len(started) == STARTED
    windows = {}  # project item pk → (from, to) in its project's clock
    done = {}
    published = defaultdict(list)
    for p in started:
        for pi in p.items:
            code = pi.plan_item.item.code
            low, high = WINDOWS.get(code, (0.3, 1.0))
            low = max(0.0, low + rng.uniform(-0.05, 0.05))
            high = high + rng.uniform(-0.05, 0.05)
            windows[pi.pk] = (low, high)
            share = _window(p.clock, low, high)
            if code in NEWSPAPER_TOTALS:
                published[code].append((pi, share))
            else:
                planned = pi.plan_item.quantity
                reached = (planned * Decimal(str(round(share, 4)))).quantize(_step(pi.plan_item.item), ROUND_HALF_UP)
                done[pi.pk] = min(reached, planned)
    for code, rows in published.items():
        caps = [int(pi.plan_item.quantity) for pi, _share in rows]
        weights = [float(pi.plan_item.quantity) * share for pi, share in rows]
        for (pi, _share), quantity in zip(rows, _allocate(NEWSPAPER_TOTALS[code], weights, caps), strict=True):
            done[pi.pk] = Decimal(quantity)
    entries = []
    for p in started:
        entries += _entries(rng, p, windows, done)
    ProgressEntry.objects.bulk_create(entries, batch_size=2000)


def _entries(rng, p: DemoProject, windows, done) -> list[ProgressEntry]:
    start = p.project.actual_start
    days = [start]
    while True:
        following = days_after(days[-1], rng.choice((5, 6, 7, 7, 7, 7, 8, 9)))
        if following >= REPORT_DAY:
            break
        days.append(following)
    days.append(REPORT_DAY)
    # A report gives the work of the days before it; the first one, on the start day, the first week's.
    span = (REPORT_DAY - start).days + 7
    entries = []
    for pi in p.items:
        final = done.get(pi.pk, Decimal(0))
        if final <= 0:
            continue
        low, high = windows[pi.pk]
        at_end = _window(p.clock, low, high)
        step = _step(pi.plan_item.item)
        before = Decimal(0)
        for day in days:
            if at_end > 0:
                share = _window(p.clock * ((day - start).days + 7) / span, low, high) / at_end
            else:  # a published quantity placed where the clock had not yet reached the item
                share = 1.0 if day == REPORT_DAY else 0.0
            reached = final if day == REPORT_DAY else min(final, (final * Decimal(str(round(share, 6))))
                                                          .quantize(step, ROUND_HALF_UP))
            if reached > before:
                entries.append(ProgressEntry(project_item=pi, date=day, quantity=reached - before,
                                             kind=ProgressEntry.Kind.REPORT, reporter_name=p.manager))
                before = reached
    first = min(e.date for e in entries)
    # As record_progress would have it: started on the first report's date, under construction since.
    p.project.actual_start = first
    p.project.status = Project.Status.UNDER_CONSTRUCTION
    p.project.save(update_fields=["actual_start", "status"])
    return entries
