"""The Yanhu demo after acceptance: earlier renovations with arrangements of every kind, two flagged, return visits
with answers and one open on the demo's day, while the 2021 dashboard still measures the newspaper's 40 projects."""

import datetime

from django.test import Client
from django.urls import reverse

from gaizao.accounts.models import User
from gaizao.aftercare import services
from gaizao.aftercare.models import ManagementArrangement, ReturnVisit
from gaizao.aftercare.visits import OPEN, visit_results
from gaizao.demo.aftercare import load_aftercare
from gaizao.surveys.models import SurveyResponse
from gaizao.works import acceptance as acceptances
from gaizao.works.measures import measures_on
from gaizao.works.models import Acceptance

DAY = datetime.date(2021, 11, 25)


def test_the_demo_shows_management_flags_and_return_visits(yanhu_demo):
    assert "钢铁厂宿舍" in yanhu_demo and "/r/YH055/" in yanhu_demo
    figures = services.management_by_subdistrict(DAY)
    assert (figures["total"].accepted, figures["total"].arranged) == (6, 4)
    assert [f["name"] for f in figures["flagged"]] == ["钢铁厂宿舍", "南风化工生活区"]
    kinds = set(ManagementArrangement.objects.values_list("kind", flat=True))
    assert kinds == set(ManagementArrangement.Kind.values)
    assert ManagementArrangement.objects.filter(ended_on__isnull=False).count() == 1  # one replaced, kept
    results = visit_results(ReturnVisit.objects.all())
    open_now = [r for r in results if r.state == OPEN]
    assert {r.visit.community.name for r in open_now} == {"电业局二号院", "钢铁厂宿舍"}
    assert all(r.responses > 0 for r in open_now)
    assert all(r.responses > 0 for r in results if r.state == "closed")
    # Every acceptance is dated within its works, and the 2021 works are still the newspaper's.
    for record in Acceptance.objects.select_related("project"):
        assert acceptances.date_window(record.project).contains(record.date)
    assert (measures_on(DAY).district["projects"], measures_on(DAY).district["started"]) == (40, 37)


def test_the_officer_sees_the_flag_and_the_contractor_its_return_visits(yanhu_demo):
    officer = Client()
    officer.force_login(User.objects.get(username="dongcheng"))
    page = officer.get(reverse("aftercare:list"), {"flag": "overdue"}).content.decode()
    assert "钢铁厂宿舍" in page and "南风化工生活区" not in page
    dashboard = officer.get(reverse("works:dashboard")).content.decode()
    assert 'data-figure="management-share">66.7%' in dashboard
    contractor = Client()
    contractor.force_login(User.objects.get(username="contractor"))
    page = contractor.get(reverse("surveys:satisfaction")).content.decode()
    section = page.split('id="satisfaction-return-visits"')[1]
    assert "电业局二号院" in section and 'data-state="open"' in section


def test_loading_again_adds_nothing(yanhu_demo):
    counts = (ManagementArrangement.objects.count(), ReturnVisit.objects.count(), SurveyResponse.objects.count())
    load_aftercare()
    assert (ManagementArrangement.objects.count(), ReturnVisit.objects.count(),
            SurveyResponse.objects.count()) == counts
