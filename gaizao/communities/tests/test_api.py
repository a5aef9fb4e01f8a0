import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


def test_api_requires_authentication(api, east_community):
    assert api.get("/api/communities/").status_code in (401, 403)


def test_token_authentication_lists_communities_with_derived_totals(api, bureau, east_community, west_community):
    token = Token.objects.create(user=bureau)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = api.get("/api/communities/", {"eligible": "true", "sort": "-households"}).json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["code"] == "DC001" and first["building_count"] == 2 and first["household_total"] == 72


def test_officer_api_is_limited_to_their_subdistrict(api, officer, east_community, west_community):
    api.force_authenticate(officer)
    codes = [c["code"] for c in api.get("/api/communities/").json()["results"]]
    assert codes == ["DC001"]
    assert api.get("/api/communities/XC001/").status_code == 404
    detail = api.get("/api/communities/DC001/").json()
    assert [b["name"] for b in detail["buildings"]] == ["1号楼", "2号楼"]
    assert detail["eligibility_reasons"]


def test_api_is_read_only_for_census_rows(api, bureau, east_community):
    api.force_authenticate(bureau)
    assert api.delete("/api/communities/DC001/").status_code == 405


def test_schema_and_docs_are_served(api, bureau):
    api.force_authenticate(bureau)
    assert api.get(reverse("api-schema")).status_code == 200
    docs = api.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert '<a href="/" id="back-to-platform"' in docs.content.decode()  # a way back to the platform
