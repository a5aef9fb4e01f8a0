"""The API's lists: scope as on the pages, filters that refuse what the schema refuses, pagination, tokens."""

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gaizao.accounts.models import User
from tests.api.conftest import ID_NUMBER, PHONE


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def results(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    return body["results"]


def test_plans_and_assignments_follow_the_officers_scope(api_district, officer, bureau):
    mine = results(client_for(officer).get("/api/plans/"))
    assert {p["community"] for p in mine} == {"DC001"}
    assert client_for(officer).get(f"/api/plans/{mine[0]['id']}/").json()["totals"]["total"]
    west = results(client_for(bureau).get("/api/plans/", {"community": "XC001"}))
    assert client_for(officer).get(f"/api/plans/{west[0]['id']}/").status_code == 404
    assert {a["community"] for a in results(client_for(officer).get("/api/assignments/"))} == {"DC001"}


def test_a_contractor_sees_only_its_companys_progress(api_district, bureau):
    entries = results(client_for(api_district.site).get("/api/progress-entries/"))
    assert {e["project"] for e in entries} == {"P1"}
    assert {e["project"] for e in results(client_for(bureau).get("/api/progress-entries/"))} == {"P1", "P2"}
    assert results(client_for(bureau).get("/api/progress-entries/", {"project": "P2", "kind": "correction"})) == []
    assert [p["code"] for p in results(client_for(bureau).get("/api/projects/", {"community": "XC001"}))] == ["P2"]


def test_households_never_carry_full_numbers(api_district, bureau, officer):
    for user in (bureau, officer):
        response = client_for(user).get("/api/households/", {"community": "DC001"})
        owner, = results(response)[0]["owners"]
        assert owner["phone"] == "139****5678" and PHONE not in response.content.decode()
        assert ID_NUMBER not in response.content.decode()


def test_votes_and_surveys_are_paginated_and_filtered(api_district, bureau):
    client = client_for(bureau)
    assert [v["id"] for v in results(client.get("/api/votes/", {"state": "open"}))] == [api_district.vote.pk]
    assert results(client.get("/api/votes/", {"state": "closed"})) == []
    assert [s["id"] for s in results(client.get("/api/surveys/", {"kind": "needs"}))] == [api_district.survey.pk]
    assert results(client.get("/api/surveys/", {"community": "XC001"})) == []


@pytest.mark.parametrize("path, params", [
    ("/api/assignments/", {"year": "0.5"}),
    ("/api/assignments/", {"programme": "99999999999999999999999"}),
    ("/api/work-items/", {"active": "maybe"}),
    ("/api/work-items/", {"date": "2021-13-01"}),
    ("/api/communities/", {"sort": "nonsense"}),
    ("/api/communities/", {"eligible": "perhaps"}),
    ("/api/progress/", {"date": "tomorrow"}),
    ("/api/feedback/", {"status": "AAA"}),
    ("/api/notices/", {"community": "DC\x00001"}),
])
def test_malformed_filters_are_refused_with_a_400(api_district, bureau, path, params):
    response = client_for(bureau).get(path, params)
    assert response.status_code == 400, response.content
    assert set(response.json()) == set(params)


def test_empty_filters_count_as_left_out(api_district, bureau):
    listed = results(client_for(bureau).get("/api/communities/", {"eligible": "", "sort": "", "batch_year": ""}))
    assert len(listed) == 2


def test_unknown_api_addresses_answer_json(api_district, bureau):
    client = client_for(bureau)
    for response in (client.get("/api/nothing-here/"), client.get("/api/communities/a.b/"),
                     client.get("/api/communities/a%00b/"), client.post("/api/votes/x/ballots/", {})):
        assert response.status_code == 404 and response.json()["detail"]
    assert client.get("/api/areas/99999999999999999999999/").status_code == 404


def test_api_token_command(db, bureau, capsys):
    call_command("api_token", "bureau")
    key = capsys.readouterr().out.strip()
    assert Token.objects.get(user=bureau).key == key
    call_command("api_token", "bureau")
    assert capsys.readouterr().out.strip() == key
    call_command("api_token", "bureau", "--reset")
    assert capsys.readouterr().out.strip() not in ("", key)
    with pytest.raises(CommandError):
        call_command("api_token", "province")
    call_command("api_token", "province", "--create", "leader")
    province = User.objects.get(username="province")
    assert province.role == "leader" and not province.has_usable_password()
    assert Token.objects.get(user=province).key == capsys.readouterr().out.strip()
    with pytest.raises(CommandError):
        call_command("api_token", "officer2", "--create", "subdistrict_officer", "--subdistrict", "nowhere")


def test_the_schema_declares_token_authentication_for_every_operation(client, bureau):
    assert client.get("/api/schema/", {"format": "json"}).status_code in (401, 403)  # for signed-in users only
    client.force_login(bureau)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert schema["components"]["securitySchemes"]["tokenAuth"]["in"] == "header"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            schemes = {name for requirement in operation.get("security", []) for name in requirement}
            assert "tokenAuth" in schemes or path.endswith("/confirm/"), (method, path)
            assert {"401", "403"} <= set(operation["responses"]), (method, path)
