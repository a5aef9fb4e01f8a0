"""Pinned SQL counts: the construction lists and reports cost as many queries for 2 projects as for 6 (no N+1)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_community
from gaizao.works.kept import forget_kept_sums
from gaizao.works.services import record_progress
from gaizao.works.tests.conftest import make_project

DAY = datetime.date(2021, 11, 25)


def queries(client, url) -> int:
    """On a cold start: figures kept from an earlier request would spare some queries of one run, not the other."""
    forget_kept_sums()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_projects(builder, bureau, subdistricts, start, stop):
    for n in range(start, stop):
        community = make_community(subdistricts[n % 2], f"W{n}", f"工程小区{n}", buildings=((5, 30, "2000"),) * 2)
        project = make_project(f"P{n}", community, builder)
        items = list(project.items.order_by("pk")[:2])
        record_progress(bureau, project, DAY - datetime.timedelta(days=10), {i.pk: Decimal("1") for i in items})
        record_progress(bureau, project, DAY, {items[0].pk: Decimal("1")})


@pytest.mark.parametrize("url", [
    "/works/", "/works/?q=P&status=not_started&sort=-contractor", "/works/?format=xlsx", "/api/projects/",
    "/api/progress/?date=2021-11-25", "/works/dashboard/?date=2021-11-25", "/works/dashboard/map.json?date=2021-11-25",
    "/works/bulletin/?date=2021-11-25", "/works/bulletin/lagging/?date=2021-11-25",
])
def test_query_count_does_not_grow_with_projects(client, bureau, builder, dongcheng, xicheng, url):
    client.force_login(bureau)
    add_projects(builder, bureau, [dongcheng, xicheng], 0, 2)
    few = queries(client, url)
    add_projects(builder, bureau, [dongcheng, xicheng], 2, 6)
    assert queries(client, url) == few


@pytest.mark.parametrize("url", ["/api/projects/", "/works/", "/works/dashboard/map.json?date=2021-11-25"])
def test_contractor_query_counts_do_not_grow(client, contractor, bureau, builder, dongcheng, xicheng, url):
    client.force_login(contractor)
    add_projects(builder, bureau, [dongcheng, xicheng], 0, 2)
    few = queries(client, url)
    add_projects(builder, bureau, [dongcheng, xicheng], 2, 6)
    assert queries(client, url) == few


@pytest.mark.parametrize("url", ["/works/", "/works/dashboard/map.json?date=2021-11-25"])
def test_officer_query_counts_do_not_grow(client, officer, bureau, builder, dongcheng, xicheng, url):
    client.force_login(officer)
    add_projects(builder, bureau, [dongcheng, xicheng], 0, 2)
    few = queries(client, url)
    add_projects(builder, bureau, [dongcheng, xicheng], 2, 6)
    assert queries(client, url) == few
