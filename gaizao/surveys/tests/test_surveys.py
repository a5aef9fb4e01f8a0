"""Needs (问需) and satisfaction (问效) surveys: answering online and on paper, one answer per household, the
Borda ranking, satisfaction rates per community, sub-district and contractor, the minimum rate, and the API."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_community
from gaizao.households import access
from gaizao.households.models import Household, Owner, Ownership
from gaizao.residents.session import SESSION_KEY
from gaizao.surveys import services as surveys
from gaizao.surveys.models import Survey, SurveyResponse
from gaizao.works.models import Company, Project

HOUR = datetime.timedelta(hours=1)
PHONE, ID_NUMBER = "13812345678", "14080219600101123X"


def dwellings_of(community, count=6):
    building = community.buildings.order_by("name").first()
    return [Household.objects.create(building=building, stairwell_unit=1, room=f"{100 + i}",
                                     exclusive_area_m2=Decimal("60")) for i in range(1, count + 1)]


@pytest.fixture
def homes(east_community):
    made = dwellings_of(east_community)
    owner = Owner.objects.create(community=east_community, name="张伟", phone=PHONE, id_number=ID_NUMBER)
    Ownership.objects.create(household=made[0], owner=owner)
    return made


def open_survey(community, kind=Survey.Kind.NEEDS, project=None, title="调查"):
    now = timezone.now()
    return Survey.objects.create(community=community, kind=kind, title=title, project=project,
                                 opens_at=now - HOUR, closes_at=now + 24 * HOUR)


@pytest.fixture
def needs(east_community):
    return open_survey(east_community, title="改造需求调查")


def project_for(code, community, contractor, status=Project.Status.COMPLETED):
    project = Project.objects.create(code=code, name=f"{community.name}改造", contractor=contractor, status=status,
                                     planned_start=datetime.date(2021, 5, 1),
                                     planned_finish=datetime.date(2021, 12, 31))
    project.communities.add(community)
    return project


def resident_client(household) -> Client:
    client = Client(enforce_csrf_checks=True)
    code = access.issue_codes(None, [household])[0].code
    client.get(reverse("residents:entry", args=[household.building.community.code]))
    response = client.post(reverse("residents:entry", args=[household.building.community.code]), {
        "building": household.building_id, "unit": household.stairwell_unit, "room": household.room,
        "code": code, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 302 and client.session[SESSION_KEY] == household.pk
    return client


# -- needs ----------------------------------------------------------------------------------------------------

def test_borda_ranking_and_count(homes, needs, east_community):
    answers = [
        ["JC04", "JC11", "WS06"],
        ["JC11", "JC04"],
        ["WS06", "JC04", "JC11", "WS01", "WS02"],
        ["JC11"],
    ]
    for household, items in zip(homes, answers, strict=False):
        surveys.submit_response(needs, household, {"items": items})
    ranking = surveys.needs_ranking(east_community)
    assert ranking.survey == needs and ranking.responses == 4 and ranking.households == 6
    points = {row.code: row.points for row in ranking.by_points}
    # JC04: 5 + 4 + 4 = 13; JC11: 4 + 5 + 3 + 5 = 17; WS06: 3 + 5 = 8; WS01: 2; WS02: 1
    assert points == {"JC11": 17, "JC04": 13, "WS06": 8, "WS01": 2, "WS02": 1}
    assert [row.code for row in ranking.by_points] == ["JC11", "JC04", "WS06", "WS01", "WS02"]
    assert [row.rank for row in ranking.by_points] == [1, 2, 3, 4, 5]
    assert [(row.code, row.count) for row in ranking.by_count][:3] == [("JC11", 4), ("JC04", 3), ("WS06", 2)]
    assert ranking.by_points[0].name == "供水管网改造" and ranking.by_points[0].first == 2
    assert ranking.response_rate == Decimal("0.6667")
    assert ranking.as_dict()["by_points"][0] == {"code": "JC11", "name": "供水管网改造", "points": 17, "count": 4,
                                                  "first_choices": 2, "rank": 1}


def test_no_survey_gives_an_empty_ranking(east_community):
    ranking = surveys.needs_ranking(east_community)
    assert ranking.survey is None and ranking.by_points == [] and ranking.response_rate is None


@pytest.mark.parametrize("answers", [
    {"items": []},
    {"items": ["JC01", "JC02", "JC03", "JC04", "JC05", "JC06"]},
    {"items": ["JC01", "JC01"]},
    {"items": ["XX99"]},
    {"items": "JC01"},
    [],
])
def test_needs_answers_are_checked(homes, needs, answers):
    with pytest.raises(ValidationError):
        surveys.submit_response(needs, homes[0], answers)
    assert not SurveyResponse.objects.exists()


def test_second_answer_replaces_the_first(homes, needs, member):
    first, created = surveys.submit_response(needs, homes[0], {"items": ["JC04"]})
    assert created
    second, created = surveys.submit_response(needs, homes[0], {"items": ["JC11", "JC04"]}, channel="paper",
                                              entered_by=member)
    assert not created and second.pk == first.pk
    assert SurveyResponse.objects.get().answers == {"items": ["JC11", "JC04"]}
    assert second.channel == "paper" and second.entered_by == member


def test_the_database_refuses_a_second_response(homes, needs):
    SurveyResponse.objects.create(survey=needs, household=homes[0], answers={"items": ["JC04"]})
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=needs, household=homes[0], answers={"items": ["JC11"]})


def test_closed_survey_and_other_community_are_refused(homes, needs, west_community):
    needs.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    needs.save()
    with pytest.raises(ValidationError):
        surveys.submit_response(needs, homes[0], {"items": ["JC04"]})
    other = open_survey(west_community)
    with pytest.raises(ValidationError):
        surveys.submit_response(other, homes[0], {"items": ["JC04"]})


def test_resident_answers_on_the_phone(homes, needs):
    client = resident_client(homes[1])
    url = reverse("surveys:survey_answer", args=["DC001", needs.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"<script" not in page.content
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"choice_1": "JC11", "choice_2": "JC04", "choice_3": "", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    saved = SurveyResponse.objects.get(household=homes[1])
    assert saved.answers == {"items": ["JC11", "JC04"]} and saved.channel == "online" and saved.entered_by is None
    home = client.get(reverse("residents:home", args=["DC001"])).content.decode()
    assert f'data-survey="{needs.pk}"' in home
    # The same item twice is refused with a message, nothing changes.
    again = client.post(url, {"choice_1": "JC11", "choice_2": "JC11", "csrfmiddlewaretoken": token})
    assert again.status_code == 200
    assert SurveyResponse.objects.get(household=homes[1]).answers == {"items": ["JC11", "JC04"]}


def test_committee_enters_a_paper_form(client, homes, needs, member):
    client.force_login(member)
    url = reverse("surveys:survey_paper", args=["DC001", needs.pk])
    assert client.get(url).status_code == 200
    household = homes[2]
    response = client.post(url, {"who-building": household.building_id, "who-unit": 1, "who-room": household.room,
                                 "choice_1": "WS06"})
    assert response.status_code == 302
    saved = SurveyResponse.objects.get(household=household)
    assert saved.channel == "paper" and saved.entered_by == member
    missing = client.post(url, {"who-building": household.building_id, "who-unit": 1, "who-room": "999",
                                "choice_1": "WS06"})
    assert missing.status_code == 200 and SurveyResponse.objects.count() == 1


def test_staff_create_a_needs_survey_and_see_results(client, homes, officer, east_community):
    client.force_login(officer)
    now = timezone.localtime()
    response = client.post(reverse("surveys:survey_create", args=["DC001"]), {
        "kind": "needs", "title": "康杰改造需求", "opens_at": (now - HOUR).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + 48 * HOUR).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    survey = Survey.objects.get(title="康杰改造需求")
    surveys.submit_response(survey, homes[0], {"items": ["JC04", "JC11"]})
    page = client.get(reverse("surveys:survey", args=["DC001", survey.pk])).content.decode()
    assert 'data-item="JC04"' in page and PHONE not in page and ID_NUMBER not in page
    assert "张伟" not in page  # results name no one


def test_committee_member_cannot_create_surveys(client, member, east_community):
    client.force_login(member)
    assert client.get(reverse("surveys:survey_create", args=["DC001"])).status_code == 403


# -- satisfaction -----------------------------------------------------------------------------------------------

GOOD = {"content": "satisfied", "process": "basic", "management": "satisfied", "overall": "satisfied"}
MIXED = {"content": "unsatisfied", "process": "satisfied", "management": "basic", "overall": "basic"}
BAD = {"content": "unsatisfied", "process": "unsatisfied", "management": "unsatisfied", "overall": "unsatisfied"}


@pytest.fixture
def judged(homes, east_community, west_community, dongcheng, builder):
    """Kangjie (east, builder): 2 good, 1 mixed, 1 bad. Mianma (west, rival): 1 good, 1 bad."""
    rival = Company.objects.create(name="运城市第二建筑工程有限公司", kind=Company.Kind.CONTRACTOR)
    east_project = project_for("P1", east_community, builder)
    west_project = project_for("P2", west_community, rival)
    east = open_survey(east_community, Survey.Kind.SATISFACTION, east_project)
    west = open_survey(west_community, Survey.Kind.SATISFACTION, west_project)
    for household, answers in zip(homes, [GOOD, GOOD, MIXED, BAD], strict=False):
        surveys.submit_response(east, household, answers)
    for household, answers in zip(dwellings_of(west_community, 2), [GOOD, BAD], strict=True):
        surveys.submit_response(west, household, answers)
    return {"east": east_project, "west": west_project, "rival": rival}


def test_satisfaction_rates(judged, east_community, dongcheng, builder):
    rates = surveys.satisfaction_rates(community=east_community)
    assert rates.responses == 4
    assert rates.rates == {"content": Decimal("0.5"), "process": Decimal("0.75"), "management": Decimal("0.75"),
                           "overall": Decimal("0.75")}
    assert surveys.satisfaction_rates(subdistrict=dongcheng).responses == 4
    assert surveys.satisfaction_rates(contractor=builder).overall == Decimal("0.75")
    assert surveys.satisfaction_rates(contractor=judged["rival"]).overall == Decimal("0.5")
    assert surveys.satisfaction_rates().responses == 6
    assert surveys.satisfaction_rates().overall == Decimal("0.6667")


def test_satisfaction_tables(judged, dongcheng, xicheng):
    by_sub = surveys.satisfaction_table("subdistrict")
    assert [(row["name"], row["rates"].overall) for row in by_sub] == [("西城办事处", Decimal("0.5")),
                                                                      ("东城办事处", Decimal("0.75"))]
    by_contractor = surveys.satisfaction_table("contractor")
    assert [row["name"] for row in by_contractor] == ["运城市第二建筑工程有限公司", "中建交通建设集团"]
    by_community = surveys.satisfaction_table("community")
    assert {row["code"] for row in by_community} == {"DC001", "XC001"}


def test_meets_minimum(judged, settings):
    settings.SATISFACTION_MIN_RATE = None
    assert surveys.meets_minimum(judged["west"]) is True
    settings.SATISFACTION_MIN_RATE = 0.7
    assert surveys.meets_minimum(judged["east"]) is True
    assert surveys.meets_minimum(judged["west"]) is False
    settings.SATISFACTION_MIN_RATE = "0.75"
    assert surveys.meets_minimum(judged["east"]) is True  # at least: 0.75 reaches 0.75
    check = surveys.check_minimum(judged["west"])
    assert check.rate == Decimal("0.5") and check.minimum == Decimal("0.75") and check.responses == 2


def test_a_minimum_without_answers_is_not_met(db, east_community, builder, settings):
    settings.SATISFACTION_MIN_RATE = 0.8
    assert surveys.meets_minimum(project_for("P9", east_community, builder)) is False


@pytest.mark.parametrize("answers", [
    {"content": "satisfied"},
    {**GOOD, "overall": "very"},
])
def test_satisfaction_answers_are_checked(homes, east_community, builder, answers):
    survey = open_survey(east_community, Survey.Kind.SATISFACTION, project_for("P1", east_community, builder))
    with pytest.raises(ValidationError):
        surveys.submit_response(survey, homes[0], answers)


def test_satisfaction_survey_needs_a_completed_project_of_the_community(east_community, west_community, builder):
    now = timezone.now()
    running = project_for("P1", east_community, builder, status=Project.Status.UNDER_CONSTRUCTION)
    with pytest.raises(ValidationError):
        surveys.create_survey(east_community, "satisfaction", "问效", now, now + HOUR, running)
    elsewhere = project_for("P2", west_community, builder)
    with pytest.raises(ValidationError):
        surveys.create_survey(east_community, "satisfaction", "问效", now, now + HOUR, elsewhere)
    done = project_for("P3", east_community, builder)
    survey = surveys.create_survey(east_community, "satisfaction", "问效", now, now + HOUR, done)
    assert survey.project == done


def test_resident_rates_on_the_phone_and_staff_see_rates(homes, east_community, builder, officer, settings):
    settings.SATISFACTION_MIN_RATE = 0.8
    survey = open_survey(east_community, Survey.Kind.SATISFACTION, project_for("P1", east_community, builder))
    client = resident_client(homes[0])
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("surveys:survey_answer", args=["DC001", survey.pk]),
                           {**GOOD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    staff = Client()
    staff.force_login(officer)
    page = staff.get(reverse("surveys:survey", args=["DC001", survey.pk])).content.decode()
    assert 'data-question="overall"' in page and 'id="minimum-check"' in page
    overview = staff.get(reverse("surveys:satisfaction"))
    assert overview.status_code == 200 and "康杰中学家属院" in overview.content.decode()


# -- API -------------------------------------------------------------------------------------------------------

def test_api_lists_surveys_for_residents_and_staff(homes, needs, west_community, officer):
    open_survey(west_community, title="棉麻需求")
    client = resident_client(homes[0])
    listed = client.get("/api/surveys/").json()["results"]
    assert [s["title"] for s in listed] == ["改造需求调查"] and listed[0]["answered"] is False
    staff = Client()
    staff.force_login(officer)
    mine = staff.get("/api/surveys/", {"community": "DC001"}).json()["results"]
    assert [s["title"] for s in mine] == ["改造需求调查"]
    assert staff.get("/api/surveys/", {"community": "XC001"}).json()["results"] == []
    assert Client().get("/api/surveys/").status_code in (401, 403)


def test_api_resident_answers_with_csrf(homes, needs):
    client = resident_client(homes[0])
    url = f"/api/surveys/{needs.pk}/responses/"
    refused = client.post(url, {"answers": {"items": ["JC04"]}}, content_type="application/json")
    assert refused.status_code == 403 and not SurveyResponse.objects.exists()
    token = client.cookies["csrftoken"].value
    created = client.post(url, {"answers": {"items": ["JC04"]}}, content_type="application/json",
                          HTTP_X_CSRFTOKEN=token)
    assert created.status_code == 201 and created.json()["channel"] == "online"
    changed = client.post(url, {"answers": {"items": ["JC11", "JC04"]}}, content_type="application/json",
                          HTTP_X_CSRFTOKEN=token)
    assert changed.status_code == 200 and changed.json()["created"] is False
    bad = client.post(url, {"answers": {"items": ["JC11", "JC11"]}}, content_type="application/json",
                      HTTP_X_CSRFTOKEN=token)
    assert bad.status_code == 400
    # A resident may not answer for a neighbour.
    other = client.post(url, {"household": homes[1].pk, "answers": {"items": ["JC04"]}},
                        content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert other.status_code == 403
    assert SurveyResponse.objects.count() == 1


def test_api_committee_enters_paper(homes, needs, member, west_community):
    client = Client()
    client.force_login(member)
    url = f"/api/surveys/{needs.pk}/responses/"
    response = client.post(url, {"household": homes[3].pk, "answers": {"items": ["WS06"]}},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["channel"] == "paper"
    assert SurveyResponse.objects.get().entered_by == member
    stranger = dwellings_of(west_community, 1)[0]
    assert client.post(url, {"household": stranger.pk, "answers": {"items": ["WS06"]}},
                       content_type="application/json").status_code == 400
    other_survey = open_survey(west_community)
    assert client.post(f"/api/surveys/{other_survey.pk}/responses/", {"household": stranger.pk, "answers": {
        "items": ["WS06"]}}, content_type="application/json").status_code == 404


def test_api_results_hold_no_personal_data(judged, homes, needs, bureau, east_community):
    surveys.submit_response(needs, homes[0], {"items": ["JC04", "JC11"]})
    client = Client()
    client.force_login(bureau)
    needs_result = client.get(f"/api/surveys/{needs.pk}/results/")
    assert needs_result.status_code == 200
    assert needs_result.json()["by_points"][0]["code"] == "JC04"
    satisfaction = Survey.objects.get(community=east_community, kind="satisfaction")
    rates = client.get(f"/api/surveys/{satisfaction.pk}/results/").json()
    assert rates["rates"]["overall"] == 0.75 and rates["responses"] == 4
    for body in (needs_result.content.decode(), str(rates)):
        assert PHONE not in body and ID_NUMBER not in body and "张伟" not in body
    assert Client().get(f"/api/surveys/{needs.pk}/results/").status_code == 404


def test_api_schema_lists_the_survey_endpoints(client, bureau):
    client.force_login(bureau)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/surveys/", "/api/surveys/{survey_id}/responses/", "/api/surveys/{survey_id}/results/",
                 "/api/households/"):
        assert path in schema["paths"]
    assert "PaginatedHouseholdList" in str(schema["paths"]["/api/households/"])
    owners = schema["components"]["schemas"]["Household"]["properties"]["owners"]
    assert owners["items"]["$ref"].endswith("/Owner")


def test_make_community_helper_is_shared(dongcheng):
    # A community without households still ranks (empty) without error.
    community = make_community(dongcheng, "DC009", "空小区")
    assert surveys.needs_ranking(community).households == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_of_one_household_leave_one_response(east_community):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    household = dwellings_of(east_community, 1)[0]
    survey = open_survey(east_community)
    choices = ["JC04", "JC11", "WS06", "WS01", "WS02"]

    def answer(index):
        try:
            return surveys.submit_response(survey, household, {"items": [choices[index % 5]]})[1]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        created = list(pool.map(answer, range(30)))
    assert created.count(True) == 1
    assert SurveyResponse.objects.filter(survey=survey, household=household).count() == 1


def test_a_contractor_sees_its_own_record_across_its_communities(judged, contractor, client):
    client.force_login(contractor)
    page = client.get(reverse("surveys:satisfaction")).content.decode()
    assert "中建交通建设集团" in page and "康杰中学家属院" in page
    assert "运城市第二建筑工程有限公司" not in page and "棉麻家属院" not in page
    assert reverse("surveys:satisfaction") in client.get(reverse("works:list")).content.decode()
