"""Construction on the platform's day (gaizao.core.clock): the report form's default, the "not in the future"
check of the form, the service and the API, and the as-of date of the bulletin and the dashboard, which stays
between a year before the first project and today, whatever is asked."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gaizao.works import bulletin, services
from gaizao.works.models import ProgressEntry
from gaizao.works.tests.conftest import item

DEMO_DAY = datetime.date(2021, 11, 25)
NEXT_DAY = DEMO_DAY + datetime.timedelta(days=1)


@pytest.fixture
def demo_day(settings):
    settings.GAIZAO_TODAY = DEMO_DAY


def test_a_report_is_dated_the_platforms_day_and_never_after_it(project, contractor, client, demo_day):
    windows = item(project, "塑钢窗更换")
    with pytest.raises(ValidationError):
        services.record_progress(contractor, project, NEXT_DAY, {windows.pk: Decimal(1)})
    client.force_login(contractor)
    form = client.get(reverse("works:report", args=["P1"])).content.decode()
    assert 'name="date" value="2021-11-25"' in form
    page = client.post(reverse("works:report", args=["P1"]), {"date": NEXT_DAY.isoformat(), f"qty_{windows.pk}": 1,
                                                               "stage": "during"})
    assert page.status_code == 200 and not ProgressEntry.objects.exists()
    url = reverse("project-report", args=["P1"])
    late = client.post(url, {"date": NEXT_DAY.isoformat(), "quantities": {windows.pk: 1}},
                       content_type="application/json")
    assert late.status_code == 400 and not ProgressEntry.objects.exists()
    on_time = client.post(url, {"date": DEMO_DAY.isoformat(), "quantities": {windows.pk: 1}},
                          content_type="application/json")
    assert on_time.status_code == 201
    assert client.get("/api/progress/").json()["date"] == "2021-11-25"


def test_the_dashboard_and_bulletin_default_to_the_platforms_day(project, bureau, client, demo_day):
    client.force_login(bureau)
    for name in ("works:dashboard", "works:bulletin", "works:lagging"):
        page = client.get(reverse(name))
        assert page.status_code == 200 and page.context["day"] == DEMO_DAY, name
    assert client.get(reverse("works:dashboard_map")).json()["day"] == "2021-11-25"


def test_the_days_a_bulletin_can_be_about(project, demo_day):
    projects = type(project).objects.all()
    # make_project plans a start on 2021-05-01: nothing can be reported before 2020-05-01.
    assert bulletin.day_range(projects) == (datetime.date(2020, 5, 1), DEMO_DAY)
    assert bulletin.nearest_day(datetime.date(2021, 6, 1), projects) == (datetime.date(2021, 6, 1), "")
    assert bulletin.nearest_day(datetime.date(1, 1, 1), projects)[0] == datetime.date(2020, 5, 1)
    assert bulletin.nearest_day(datetime.date(9999, 12, 31), projects)[0] == DEMO_DAY
    assert bulletin.day_range(projects.none()) == (DEMO_DAY, DEMO_DAY)


@pytest.mark.parametrize(("asked", "shown"), [("0001-01-01", "2020-05-01"), ("9999-12-31", "2021-11-25")])
def test_a_date_far_outside_the_programme_shows_the_nearest_day_and_says_why(project, bureau, client, demo_day,
                                                                               asked, shown):
    client.force_login(bureau)
    for name in ("works:bulletin", "works:dashboard", "works:lagging"):
        page = client.get(reverse(name), {"date": asked})
        assert page.status_code == 200, name
        assert page.context["day"].isoformat() == shown and 'id="date-note"' in page.content.decode(), name
    for name in ("works:bulletin_docx", "works:bulletin_xlsx"):
        moved = client.get(reverse(name), {"date": asked})
        assert moved.status_code == 302 and moved["Location"] == f"{reverse(name)}?date={shown}", name
        assert client.get(moved["Location"]).status_code == 200
    assert client.get(reverse("works:dashboard_map"), {"date": asked}).json()["day"] == shown
    assert client.get("/api/progress/", {"date": asked}).status_code == 200
