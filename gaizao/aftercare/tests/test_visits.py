"""Return visits (回访): satisfaction surveys that open by themselves 3 and 12 months after acceptance, on the
platform's day; they follow a corrected acceptance date until someone answers, and scheduling is idempotent."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from gaizao.aftercare import services, visits
from gaizao.aftercare.models import ReturnVisit
from gaizao.aftercare.tests.conftest import EAST_ACCEPTED, accept, project_for
from gaizao.surveys import services as surveys
from gaizao.surveys.models import Survey

ANSWERS = {"content": "satisfied", "process": "basic", "management": "unsatisfied", "overall": "satisfied"}


def midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@pytest.mark.parametrize("day, months, expected", [
    (datetime.date(2021, 6, 1), 3, datetime.date(2021, 9, 1)),
    (datetime.date(2021, 5, 31), 3, datetime.date(2021, 8, 31)),
    (datetime.date(2021, 11, 30), 3, datetime.date(2022, 2, 28)),
    (datetime.date(2023, 11, 30), 3, datetime.date(2024, 2, 29)),
    (datetime.date(2021, 6, 1), 12, datetime.date(2022, 6, 1)),
    (datetime.date(2021, 12, 15), 1, datetime.date(2022, 1, 15)),
])
def test_months_after_a_day(day, months, expected):
    assert visits.add_months(day, months) == expected


def test_an_acceptance_schedules_its_return_visits(east_project, east_community):
    found = {v.months: v.survey for v in ReturnVisit.objects.filter(project=east_project)}
    assert set(found) == {3, 12}
    three = found[3]
    assert (three.kind, three.project, three.community) == (Survey.Kind.SATISFACTION, east_project, east_community)
    assert three.opens_at == midnight(datetime.date(2021, 9, 1))
    assert three.closes_at == midnight(datetime.date(2021, 10, 1))
    assert found[12].opens_at == midnight(datetime.date(2022, 6, 1))
    assert "3" in three.title and east_community.name in three.title


def test_a_visit_opens_on_its_day_by_the_platforms_clock(east_project, east_community, dwellings, settings):
    survey = ReturnVisit.objects.get(project=east_project, months=3).survey
    settings.GAIZAO_TODAY = datetime.date(2021, 8, 31)
    assert survey not in surveys.open_surveys(east_community)
    assert visits.state_of(survey) == visits.UPCOMING
    settings.GAIZAO_TODAY = datetime.date(2021, 9, 1)
    assert list(surveys.open_surveys(east_community)) == [survey]
    surveys.submit_response(survey, dwellings[0], ANSWERS)
    settings.GAIZAO_TODAY = datetime.date(2021, 10, 1)
    assert survey not in surveys.open_surveys(east_community)
    assert visits.state_of(survey) == visits.CLOSED


def test_unanswered_visits_follow_a_corrected_acceptance_date(east_project, dwellings, settings):
    acceptance = east_project.acceptance
    by_months = {v.months: v.survey for v in ReturnVisit.objects.filter(project=east_project)}
    settings.GAIZAO_TODAY = datetime.date(2021, 9, 2)
    surveys.submit_response(by_months[3], dwellings[0], ANSWERS)  # the first visit has an answer
    acceptance.date = datetime.date(2021, 7, 15)
    acceptance.save()
    by_months[3].refresh_from_db()
    by_months[12].refresh_from_db()
    assert by_months[3].opens_at == midnight(datetime.date(2021, 9, 1))  # answered: it stays
    assert by_months[12].opens_at == midnight(datetime.date(2022, 7, 15))  # unanswered: it moves
    assert ReturnVisit.objects.filter(project=east_project).count() == 2


def test_the_acceptance_service_correction_moves_the_visits(east_community, builder, bureau, today):
    from gaizao.works import acceptance as acceptances

    project = project_for("P9", east_community, builder)
    accept(project, EAST_ACCEPTED)
    acceptances.correct_acceptance(bureau, project, day=datetime.date(2021, 6, 10), participants="住建局",
                                   checklist={}, reason="验收纪要日期笔误")
    survey = ReturnVisit.objects.get(project=project, months=3).survey
    assert survey.opens_at == midnight(datetime.date(2021, 9, 10))


def test_scheduling_is_idempotent_and_fills_in_what_is_missing(east_project, west_project):
    assert visits.ensure_return_visits() == {"created": 0, "moved": 0, "removed": 0}
    ReturnVisit.objects.filter(project=west_project, months=12).delete()
    out = StringIO()
    call_command("return_visits", stdout=out)
    assert ReturnVisit.objects.count() == 4
    assert "1" in out.getvalue()
    assert visits.ensure_return_visits() == {"created": 0, "moved": 0, "removed": 0}
    assert Survey.objects.count() == 5  # one survey was orphaned by the delete above; the rest are the visits'


def test_changed_intervals_move_and_drop_unanswered_visits(east_project, bureau):
    services.save_settings(bureau, {"overdue_days": 60, "first_visit_months": 6, "second_visit_months": None,
                                    "visit_open_days": 14})
    found = list(ReturnVisit.objects.filter(project=east_project))
    # The 3-month visit (opened 1 September, no answer) cannot be renamed a 6-month one; the 12-month one, not
    # yet open, is dropped; a 6-month visit is added.
    assert sorted(v.months for v in found) == [3, 6]
    six = next(v for v in found if v.months == 6).survey
    assert (six.opens_at, six.closes_at) == (midnight(datetime.date(2021, 12, 1)),
                                             midnight(datetime.date(2021, 12, 15)))


def test_results_count_answers_against_households(east_project, east_community, dwellings, settings):
    settings.GAIZAO_TODAY = datetime.date(2021, 9, 5)
    survey = ReturnVisit.objects.get(project=east_project, months=3).survey
    surveys.submit_response(survey, dwellings[0], ANSWERS)
    surveys.submit_response(survey, dwellings[1], {**ANSWERS, "overall": "unsatisfied"})
    result = next(r for r in visits.visit_results(east_community.return_visits.all()) if r.visit.months == 3)
    assert (result.responses, result.households, result.response_rate) == (2, 4, 0.5)
    assert float(result.overall) == 0.5 and float(result.rates.rate("management")) == 0.0
    summary = visits.return_visit_summary(datetime.date(2021, 9, 5))
    assert [(r["months"], r["visits"], r["responses"]) for r in summary["rows"]] == [(3, 1, 2)]
    assert visits.return_visit_summary(datetime.date(2021, 8, 31))["rows"] == []
    # The answers count in the contractor's record, like any satisfaction survey about its project.
    assert surveys.satisfaction_rates(contractor=east_project.contractor).responses == 2


def test_visits_a_user_may_read(east_project, west_project, contractor, officer, bureau, member):
    assert {v.project.code for v in visits.visits_for(contractor)} == {"P1"}
    assert {v.community.code for v in visits.visits_for(officer)} == {"DC001"}
    assert visits.visits_for(bureau).count() == 4
    assert not visits.visits_for(member).exists()
