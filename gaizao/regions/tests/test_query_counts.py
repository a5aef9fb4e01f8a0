"""Pinned SQL counts: the area list costs as many queries for a few areas as for three times as many."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaizao.regions.models import Area


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_areas(district, start, stop):
    for n in range(start, stop):
        sub = Area.objects.create(name=f"第{n}办事处", code=f"140802{n:03d}", level=Area.Level.SUBDISTRICT,
                                  parent=district)
        Area.objects.create(name=f"第{n}社区", code=f"140802{n:03d}001", level=Area.Level.NEIGHBOURHOOD, parent=sub)


def test_area_list_does_not_grow_with_areas(client, bureau, district):
    client.force_login(bureau)
    add_areas(district, 0, 3)
    few = queries(client, "/api/areas/")
    add_areas(district, 3, 9)
    assert queries(client, "/api/areas/") == few
    assert queries(client, "/api/areas/?level=subdistrict") == few
