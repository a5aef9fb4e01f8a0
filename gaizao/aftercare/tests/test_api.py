"""The arrangements' API: the pages' scope, filters that refuse bad values, masked contacts, no writes."""

import datetime

import pytest
from rest_framework.test import APIClient

from gaizao.aftercare import services
from gaizao.aftercare.tests.conftest import values


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def recorded(east_project, west_project, east_community, west_community, bureau):
    first = services.record_arrangement(bureau, east_community, values())
    second = services.record_arrangement(bureau, east_community, values(since=datetime.date(2021, 10, 1),
                                                                        kind="self_management"), reason="居民自管")
    west = services.record_arrangement(bureau, west_community, values(since=datetime.date(2021, 10, 5),
                                                                      kind="trusteeship", body_name="西城办事处托管"))
    return first, second, west


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_bureau_lists_and_filters(recorded, bureau):
    client = api(bureau)
    assert len(results(client.get("/api/management-arrangements/"))) == 3
    current = results(client.get("/api/management-arrangements/", {"current": "true"}))
    assert {(a["community"], a["kind"]) for a in current} == {("DC001", "self_management"), ("XC001", "trusteeship")}
    assert [a["id"] for a in results(client.get("/api/management-arrangements/", {"current": "false"}))] == [
        recorded[0].pk]
    assert len(results(client.get("/api/management-arrangements/", {"community": "XC001"}))) == 1
    assert len(results(client.get("/api/management-arrangements/", {"subdistrict": "140802001"}))) == 2
    assert len(results(client.get("/api/management-arrangements/", {"since_from": "2021-10-02"}))) == 1
    one = client.get(f"/api/management-arrangements/{recorded[2].pk}/").json()
    assert one["contact_phone"] == "13912345678" and one["current"] is True and one["has_agreement"] is False


@pytest.mark.parametrize("params", [{"current": "maybe"}, {"kind": "castle"}, {"since_from": "2021-13-01"}])
def test_bad_filters_are_refused(recorded, bureau, params):
    assert api(bureau).get("/api/management-arrangements/", params).status_code == 400


def test_scope_and_masking(recorded, officer, leader, contractor):
    mine = results(api(officer).get("/api/management-arrangements/"))
    assert {a["community"] for a in mine} == {"DC001"} and mine[0]["contact_phone"] == "13912345678"
    assert api(officer).get(f"/api/management-arrangements/{recorded[2].pk}/").status_code == 404
    read = results(api(leader).get("/api/management-arrangements/"))
    assert {a["contact_phone"] for a in read} == {"139****5678"}
    assert results(api(contractor).get("/api/management-arrangements/")) == []
    assert APIClient().get("/api/management-arrangements/").status_code in (401, 403)


def test_the_api_is_read_only(recorded, bureau):
    assert api(bureau).post("/api/management-arrangements/", {}, format="json").status_code == 405
