"""The residents' satisfaction that gates acceptance (改造成效由群众评判) is the bureau's setting on a page, per
district, falling back to the server's SATISFACTION_MIN_RATE; the acceptance page shows the rate against it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.core import clock
from gaizao.core.models import AuditEntry
from gaizao.households.models import Household
from gaizao.regions import services as regions
from gaizao.regions.models import DistrictSettings
from gaizao.surveys import services as surveys
from gaizao.surveys.models import Survey
from gaizao.works import acceptance as rules
from gaizao.works.models import Acceptance, Project

TODAY = datetime.date(2021, 11, 25)
GOOD = {"content": "satisfied", "process": "basic", "management": "satisfied", "overall": "satisfied"}
BAD = {"content": "unsatisfied", "process": "unsatisfied", "management": "unsatisfied", "overall": "unsatisfied"}


@pytest.fixture(autouse=True)
def platform_day(settings):
    settings.GAIZAO_TODAY = TODAY
    settings.SATISFACTION_MIN_RATE = None


@pytest.fixture
def judged(project, east_community):
    """P1's residents: 3 satisfied households of 4, 75 percent."""
    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)
    building = east_community.buildings.order_by("name").first()
    homes = [Household.objects.create(building=building, stairwell_unit=1, room=f"{n}01",
                                      exclusive_area_m2=Decimal("70")) for n in range(1, 5)]
    now = clock.now()  # the platform's day, 2021-11-25
    survey = Survey.objects.create(community=east_community, kind=Survey.Kind.SATISFACTION, title="满意度",
                                   project=project, opens_at=now - datetime.timedelta(hours=1),
                                   closes_at=now + datetime.timedelta(days=1))
    for home, answers in zip(homes, [GOOD, GOOD, GOOD, BAD], strict=True):
        surveys.submit_response(survey, home, answers)
    return project


def minimum(district, rate):
    DistrictSettings.objects.filter(district=district).update(satisfaction_min_rate=rate)


def accept(actor, project):
    return rules.accept(actor, project, day=TODAY, participants="居民代表 张立荣", checklist={},
                        shortfall_reasons={i.pk: "居民不同意" for i in project.items.all()})


@pytest.fixture
def leader(db):
    return ensure_user("leader", "x-pass-2021", User.Role.LEADER)


def test_the_districts_minimum_blocks_an_acceptance_below_it(judged, bureau, district):
    minimum(district, Decimal("0.8"))
    with pytest.raises(ValidationError) as refused:
        accept(bureau, judged)
    assert "75%" in str(refused.value) and "80%" in str(refused.value)
    assert not Acceptance.objects.exists()
    minimum(district, Decimal("0.75"))  # reaching it is enough
    accept(bureau, judged)
    assert Acceptance.objects.exists()


def test_the_server_setting_applies_where_the_district_sets_none(judged, bureau, district, settings):
    settings.SATISFACTION_MIN_RATE = 0.8
    assert regions.satisfaction_minimum([district.pk]) == Decimal("0.8")
    with pytest.raises(ValidationError):
        accept(bureau, judged)
    minimum(district, Decimal("0"))  # the district asks for no minimum, whatever the server says
    assert regions.satisfaction_minimum([district.pk]) is None
    accept(bureau, judged)


def test_no_answers_fail_a_minimum_and_the_message_says_what_to_do(project, bureau, district):
    minimum(district, Decimal("0.8"))
    with pytest.raises(ValidationError) as refused:
        accept(bureau, project)
    said = str(refused.value)
    assert "80%" in said and ("survey" in said or "测评" in said)


def test_the_acceptance_page_shows_the_rate_against_the_minimum(judged, bureau, district, client):
    minimum(district, Decimal("0.8"))
    client.force_login(bureau)
    page = client.get(reverse("works:acceptance", args=[judged.code])).content.decode()
    assert 'id="satisfaction"' in page and "75%" in page and "80%" in page
    assert 'id="satisfaction-next"' in page and reverse("surveys:survey_create", args=["DC001"]) in page
    assert 'id="record-acceptance" disabled' in page
    minimum(district, Decimal("0.7"))
    page = client.get(reverse("works:acceptance", args=[judged.code])).content.decode()
    assert "75%" in page and "70%" in page and 'id="satisfaction-next"' not in page
    assert 'id="record-acceptance" disabled' not in page


def test_the_page_refusal_keeps_what_was_typed(judged, bureau, district, client):
    minimum(district, Decimal("0.8"))
    client.force_login(bureau)
    data = {"date": "2021-11-25", "participants": "居民代表 张立荣", "notes": "抽检合格",
            **{f"reason_{i.pk}": "居民不同意" for i in judged.items.all()}}
    response = client.post(reverse("works:acceptance", args=[judged.code]), data)
    page = response.content.decode()
    assert response.status_code == 200 and 'id="acceptance-errors"' in page and "抽检合格" in page
    assert not Acceptance.objects.exists()


def test_bureau_staff_set_the_minimum_on_the_settings_page(bureau, district, client):
    client.force_login(bureau)
    url = reverse("works:acceptance_settings")
    assert client.get(url).status_code == 200
    response = client.post(url, {f"min_{district.pk}": "85"})
    assert response.status_code == 302
    assert DistrictSettings.objects.get(district=district).satisfaction_min_rate == Decimal("0.85")
    assert AuditEntry.objects.filter(object_type="regions.districtsettings", action="update").exists()
    page = client.get(url).content.decode()
    assert 'value="85"' in page and "85%" in page
    client.post(url, {f"min_{district.pk}": "80"})
    assert 'value="80"' in client.get(url).content.decode()
    client.post(url, {f"min_{district.pk}": ""})  # empty: back to the server's setting
    assert DistrictSettings.objects.get(district=district).satisfaction_min_rate is None


def test_a_minimum_outside_0_to_100_is_refused_and_kept_in_the_form(bureau, district, client):
    client.force_login(bureau)
    for typed in ("120", "-5", "八十"):
        response = client.post(reverse("works:acceptance_settings"), {f"min_{district.pk}": typed})
        assert response.status_code == 200 and f'value="{typed}"' in response.content.decode()
    assert DistrictSettings.objects.get(district=district).satisfaction_min_rate is None
    with pytest.raises(ValidationError):
        regions.set_satisfaction_minimum(bureau, district, Decimal("1.2"))


def test_only_bureau_staff_change_the_minimum(district, officer, contractor, leader, client):
    for user in (officer, contractor, leader):
        with pytest.raises(PermissionDenied):
            regions.set_satisfaction_minimum(user, district, Decimal("0.5"))
        client.force_login(user)
        assert client.get(reverse("works:acceptance_settings")).status_code == 403
        assert client.post(reverse("works:acceptance_settings"), {f"min_{district.pk}": "10"}).status_code == 403
    assert DistrictSettings.objects.get(district=district).satisfaction_min_rate is None


def test_the_survey_pages_judge_against_the_same_minimum(judged, district):
    minimum(district, Decimal("0.8"))
    check = surveys.check_minimum(judged)
    assert not check.ok and check.minimum == Decimal("0.8") and check.rate == Decimal("0.75")
    assert surveys.minimum_rate() == Decimal("0.8")


def test_over_several_districts_the_strictest_minimum_applies(district, db, settings):
    from gaizao.regions.models import Area

    other = Area.objects.create(name="永济市", code="140881", level=Area.Level.DISTRICT, parent=district.parent)
    DistrictSettings.objects.create(district=other, cutoff_year=2000, default_cost_per_m2=Decimal("600"),
                                    satisfaction_min_rate=Decimal("0.9"))
    minimum(district, Decimal("0.8"))
    assert regions.satisfaction_minimum([district.pk]) == Decimal("0.8")
    assert regions.satisfaction_minimum([district.pk, other.pk]) == Decimal("0.9")
    assert regions.satisfaction_minimum() == Decimal("0.9")
