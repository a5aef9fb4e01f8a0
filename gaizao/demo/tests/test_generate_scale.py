"""`gaizao generate_data` stays near-linear: no stage asks the database once per community.

At 50,000 communities a query per community inside the one generating transaction stalled the vote stage for more
than ten minutes; these tests count every stage's queries at two sizes.
"""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaizao.demo.synthetic import generate

pytestmark = pytest.mark.django_db

SMALL, LARGE = 30, 150  # one district either way (a district per about 400 communities)
LINES = 10  # progress lines per community: enough to count, few enough to be quick on SQLite


def _queries_per_stage(communities: int, prefix: str) -> tuple[dict, dict]:
    """{stage: Counter(statement kind)} and the counts generate() returned."""
    marks = []
    with CaptureQueriesContext(connection) as captured:
        result = generate(communities, seed=3, code_prefix=prefix, lines=LINES * communities,
                          stage=lambda label: marks.append((label, len(captured.captured_queries))))
    stages, start = {}, 0
    for label, end in marks:
        stages[label] = Counter(q["sql"].split(None, 1)[0].upper() for q in captured.captured_queries[start:end])
        start = end
    return stages, result["counts"]


def test_no_stage_asks_more_for_more_communities():
    small, small_counts = _queries_per_stage(SMALL, "96")
    large, large_counts = _queries_per_stage(LARGE, "95")
    assert 1 <= small_counts["votes"] < large_counts["votes"]
    assert large_counts["households"] > 3 * small_counts["households"]
    # Reads and updates: the same statements at five times the size, in every stage.
    for stage in small:
        reads = {kind: n for kind, n in small[stage].items() if kind != "INSERT"}
        assert {kind: n for kind, n in large[stage].items() if kind != "INSERT"} == reads, stage
    # Inserts: one per table and batch of rows. PostgreSQL takes a batch in one statement (COPY, or bulk_create's
    # 5,000 rows), so the vote stage is the very same statements; SQLite splits batches by its own parameter limit.
    if connection.vendor == "postgresql":
        assert large["residents"] == small["residents"]
        assert large["households"] == small["households"] and large["progress"] == small["progress"]
