"""What a census import would do, row by row: the planner fills this in and the writer carries it out."""

from collections import Counter
from dataclasses import dataclass, field

from gaizao.communities.census.reader import RowError

CHUNK = 2000


@dataclass
class Operation:
    kind: str  # "area", "community" or "building"
    action: str  # "create" or "update"
    key: str
    label: str
    values: dict
    instance: object = None  # the existing row, for an update
    changed: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    unchanged: Counter = field(default_factory=Counter)
    applied: bool = False

    def count(self, kind, action):
        if action == "unchanged":
            return self.unchanged[kind]
        return sum(1 for op in self.operations if op.kind == kind and op.action == action)

    @property
    def totals(self) -> dict:
        return {
            kind: {a: self.count(kind, a) for a in ("create", "update", "unchanged")}
            for kind in ("area", "community", "building")
        }

    @property
    def has_changes(self) -> bool:
        return bool(self.operations)


def chunks(items, size=CHUNK):
    """Slices of a list, so that no `IN (…)` query passes the database's limit on parameters."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]
