"""The bulletin keeps its long-term management section between requests; every change shows on the next one."""

import datetime

from gaizao.aftercare import services
from gaizao.aftercare.models import ReturnVisit
from gaizao.aftercare.tests.conftest import DAY, values
from gaizao.aftercare.tests.test_visits import ANSWERS
from gaizao.surveys import services as surveys
from gaizao.works.bulletin import bulletin_data
from gaizao.works.models import Project


def section():
    return bulletin_data(DAY, Project.objects.all())["aftercare"]


def test_an_arrangement_recorded_after_the_bulletin_was_read_shows_at_once(east_project, east_community, bureau):
    assert section()["management"]["total"].arranged == 0
    assert section() is section()  # kept: nothing changed
    services.record_arrangement(bureau, east_community, values())
    assert section()["management"]["total"].arranged == 1


def test_a_changed_survey_answer_shows_at_once(east_project, east_community, dwellings, settings):
    survey = ReturnVisit.objects.get(project=east_project, months=3).survey
    settings.GAIZAO_TODAY = datetime.date(2021, 9, 1)
    surveys.submit_response(survey, dwellings[0], ANSWERS)
    settings.GAIZAO_TODAY = DAY
    [visit] = [row for row in section()["visits"] if row["months"] == 3]
    assert visit["overall"] == 1.0
    # The same household answers again: an update, which sends no signal.
    settings.GAIZAO_TODAY = datetime.date(2021, 9, 2)
    surveys.submit_response(survey, dwellings[0], {**ANSWERS, "overall": "unsatisfied"})
    settings.GAIZAO_TODAY = DAY
    [visit] = [row for row in section()["visits"] if row["months"] == 3]
    assert visit["overall"] == 0.0
