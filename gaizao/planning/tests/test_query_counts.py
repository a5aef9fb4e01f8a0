"""Pinned SQL counts: programmes, assignments and the programme board cost the same for a few rows as for 3×."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_community
from gaizao.planning import programme as programmes
from gaizao.planning.models import Programme, ProgrammeYear


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_communities(subdistricts, start, stop):
    for n in range(start, stop):
        make_community(subdistricts[n % 2], f"QP{n}", f"计划小区{n}", year_built=1980 + n % 15,
                       buildings=((5, 40 + n, "3000"),), investment_estimate=Decimal(2_000_000))


def add_programmes(district, start, stop):
    for n in range(start, stop):
        programme = Programme.objects.create(name=f"测试计划{n}", district=district, first_year=2022 + n,
                                             last_year=2024 + n, current_year=2022 + n)
        for year in programme.years:
            ProgrammeYear.objects.create(programme=programme, year=year, budget_yuan=Decimal(4_000_000))
        programmes.sync_assignments(programme)


@pytest.mark.parametrize("url", ["/api/programmes/", "/api/assignments/", "/api/assignments/?year=2023",
                                 "/planning/"])
def test_programme_lists_do_not_grow_with_rows(client, bureau, district, dongcheng, xicheng, url):
    client.force_login(bureau)
    add_communities([dongcheng, xicheng], 0, 3)
    add_programmes(district, 0, 2)
    few = queries(client, url)
    add_communities([dongcheng, xicheng], 3, 9)
    add_programmes(district, 2, 6)
    for programme in Programme.objects.all():
        programmes.sync_assignments(programme)
    assert queries(client, url) == few


def test_programme_board_does_not_grow_with_communities(client, bureau, district, dongcheng, xicheng):
    client.force_login(bureau)
    add_communities([dongcheng, xicheng], 0, 3)
    add_programmes(district, 0, 1)
    programme = Programme.objects.get()
    few = queries(client, f"/planning/programmes/{programme.pk}/")
    add_communities([dongcheng, xicheng], 3, 9)
    programmes.sync_assignments(programme)
    assert queries(client, f"/planning/programmes/{programme.pk}/") == few
