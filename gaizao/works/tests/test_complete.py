"""Declaring the works finished (完工): the step between the last report and the residents' satisfaction survey and
the completion acceptance, dated from the last report to the platform's day, by the contractor or the bureau."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gaizao.works import services
from gaizao.works.models import Project
from gaizao.works.tests.conftest import item

TODAY = datetime.date(2021, 11, 25)


@pytest.fixture
def started(project, contractor, settings):
    settings.GAIZAO_TODAY = TODAY
    windows = item(project, "塑钢窗更换")
    services.record_progress(contractor, project, datetime.date(2021, 11, 20), {windows.pk: Decimal(1)})
    project.refresh_from_db()
    return project


def test_the_contractor_declares_its_works_finished_on_a_day_within_the_works(started, contractor, client):
    client.force_login(contractor)
    page = client.get(reverse("works:detail", args=["P1"])).content.decode()
    assert 'id="complete-form"' in page and 'value="2021-11-25"' in page
    client.post(reverse("works:complete", args=["P1"]), {"date": "2021-11-24"})
    started.refresh_from_db()
    assert started.status == Project.Status.COMPLETED and started.actual_finish == datetime.date(2021, 11, 24)


@pytest.mark.parametrize("day", [datetime.date(2021, 11, 19), datetime.date(2021, 11, 26)])
def test_a_day_before_the_last_report_or_after_today_is_refused(started, contractor, day):
    with pytest.raises(ValidationError):
        services.complete(contractor, started, day)
    started.refresh_from_db()
    assert started.status == Project.Status.UNDER_CONSTRUCTION


def test_only_a_project_under_construction_and_only_its_contractor_or_the_bureau(started, rival_user, officer,
                                                                                 contractor):
    for outsider in (rival_user, officer):
        with pytest.raises(PermissionDenied):
            services.complete(outsider, started, TODAY)
    services.complete(contractor, started, TODAY)
    with pytest.raises(ValidationError):
        services.complete(contractor, started, TODAY)


def test_a_bad_date_on_the_form_says_how_to_write_it(started, contractor, client):
    client.force_login(contractor)
    answer = client.post(reverse("works:complete", args=["P1"]), {"date": "25/11/2021"}, follow=True)
    assert "YYYY-MM-DD" in answer.content.decode() or "2021-11-25" in answer.content.decode()
    started.refresh_from_db()
    assert started.status == Project.Status.UNDER_CONSTRUCTION
