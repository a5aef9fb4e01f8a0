"""Figures kept between requests by each process (see `works.measures`): least recently used dropped first,
each checked by its reader against what it was made from, none kept longer than MAX_AGE."""

import datetime
import gc
import threading
from collections import OrderedDict
from dataclasses import dataclass

from gaizao.core import stamps

SETTLE = datetime.timedelta(seconds=60)
# Anything a reader's checks cannot see (for the project items, a community moved to another sub-district by a
# bulk import; for the progress sums, a transaction that wrote entries for longer than SETTLE) shows within
# MAX_AGE: kept figures are then built afresh.
MAX_AGE = stamps.MAX_AGE  # seconds
KEEP = 32  # sums kept per process (days × scopes), least recently used dropped first
_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


@dataclass
class _Kept:
    upto: int  # the newest entry included
    upto_created: datetime.datetime | None  # its time: another row under that id means the table was reloaded
    made: float
    sums: dict


def _recall(key):
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
        return kept


def _keep(key, kept) -> None:
    with _lock:
        _kept[key] = kept
        _kept.move_to_end(key)
        while len(_kept) > KEEP:
            _kept.popitem(last=False)
    if len(kept.sums) >= FREEZE_FROM:
        _freeze(thaw=key == "items")


# Kept sums at national size are hundreds of thousands of lists and tuples that live for minutes. Python's full
# collections walked all of them, again and again: the province roll-up's p95 at 50,000 communities was 380-400 ms
# over a p50 of 250-270 ms (issue #15). Once frozen, the collector no longer walks them. Kept sums hold no
# reference cycles (dicts of tuple keys → lists or tuples of numbers and strings), so a frozen one that is replaced
# or dropped is still freed by reference counting. A freeze is cheap (a move of the collector's lists), but it also
# freezes cyclic garbage not yet collected; that is given back once per rebuild of the project items (at most every
# MAX_AGE), which thaws everything and pays the one full collection. So the updates that keep arriving while
# contractors report only freeze, never collect, on the request that brings the sums up to date. Small sums (tests,
# a district) are left to the collector: walking them costs nothing worth a collection.
FREEZE_FROM = 20_000
_freeze_lock = threading.Lock()


def _freeze(thaw: bool) -> None:
    with _freeze_lock:
        if thaw:
            gc.unfreeze()
            gc.collect()
        gc.freeze()


def forget_kept_sums() -> None:
    """Drop every kept sum and figure of this process (tests that rewrite history call it)."""
    with _lock:
        _kept.clear()
    stamps.forget_kept()
