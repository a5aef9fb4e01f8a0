"""Kept sums big enough to matter are moved out of the garbage collector's way, and are still freed when dropped."""

import datetime
import gc
import weakref

from gaizao.works import kept as kept_figures
from gaizao.works import measures


def test_big_kept_sums_are_frozen_and_still_freed_when_dropped(project, monkeypatch):
    monkeypatch.setattr(kept_figures, "FREEZE_FROM", 0)
    gc.unfreeze()
    try:
        found = measures.measures_on(datetime.date(2021, 6, 1))
        measures.quantities_done(datetime.date(2021, 6, 1))
        measures.items_by_project(found.project_items)
        assert found.project_items and gc.get_freeze_count() > 0
        with kept_figures._lock:
            kept = [weakref.ref(k) for k in kept_figures._kept.values()]
            assert len(kept) >= 4 and not any(_in_a_cycle(k.sums) for k in kept_figures._kept.values())
        del found
        # Frozen objects are never collected: only reference counting can free them, so they must hold no cycle.
        measures.forget_kept_sums()
        assert [ref() for ref in kept if ref() is not None] == []
    finally:
        gc.unfreeze()


def _in_a_cycle(start) -> bool:
    """Whether `start` can be reached from what it holds."""
    seen, todo = set(), list(gc.get_referents(start))
    while todo:
        found = todo.pop()
        if found is start:
            return True
        # An instance refers to its class, and through it to its module, which holds the kept figures: that is the
        # live reference that keeps them, not a cycle among them.
        if id(found) not in seen and gc.is_tracked(found) and not isinstance(found, type):
            seen.add(id(found))
            todo.extend(gc.get_referents(found))
    return False
