"""The project page in tabs: every report reachable a page at a time (no silent cap), filters that narrow what a
tab shows, photos as thumbnails, milestones with the project's own share, and feedback as far as the reader may
see it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from gaizao.feedback import services as feedback
from gaizao.works import project_page
from gaizao.works.models import Milestone, ProgressEntry
from gaizao.works.tests.conftest import item

DAY = datetime.date(2021, 6, 1)


@pytest.fixture
def busy(project, contractor, settings):
    """Sixty reports on one item and one correction: more than a page of the reports tab."""
    settings.GAIZAO_TODAY = datetime.date(2021, 11, 25)
    windows = item(project, "塑钢窗更换")
    ProgressEntry.objects.bulk_create([
        ProgressEntry(project_item=windows, date=DAY + datetime.timedelta(days=n), quantity=Decimal(1),
                      reporter=contractor, reporter_name="施工员") for n in range(60)])
    ProgressEntry.objects.create(project_item=windows, date=DAY, quantity=Decimal(-1), kind="correction",
                                 reason="多报了一户", reporter=contractor)
    return project


def _page(client, user, tab, **params):
    client.force_login(user)
    query = "&".join(f"{k}={v}" for k, v in {"tab": tab, **params}.items())
    return client.get(reverse("works:detail", args=["P1"]) + "?" + query)


def test_every_report_is_reachable_page_by_page(busy, bureau, client):
    first = _page(client, bureau, "reports")
    assert first.context["page"].paginator.count == 61
    assert len(first.context["page"]) == project_page.ENTRIES_PER_PAGE
    second = _page(client, bureau, "reports", page=2)
    assert len(second.context["page"]) == 11 and 'rel="prev"' in second.content.decode()
    assert _page(client, bureau, "reports")["Content-Type"].startswith("text/html")


def test_the_reports_tab_filters_by_kind_and_dates(busy, bureau, client):
    corrections = _page(client, bureau, "reports", kind="correction")
    assert [e.reason for e in corrections.context["page"]] == ["多报了一户"]
    june = _page(client, bureau, "reports", since="2021-06-10", until="2021-06-19")
    assert june.context["page"].paginator.count == 10
    nonsense = _page(client, bureau, "reports", since="soon", kind="bogus")
    assert nonsense.status_code == 200 and nonsense.context["page"].paginator.count == 61


def test_the_items_tab_shows_what_is_still_to_do(busy, bureau, client):
    everything = _page(client, bureau, "items").context["page"].paginator.count
    todo = _page(client, bureau, "items", state="unfinished").context["page"].paginator.count
    done = _page(client, bureau, "items", state="finished").context["page"].paginator.count
    assert todo + done == everything and todo > 0
    found = _page(client, bureau, "items", q="塑钢窗").context["page"]
    assert [r["item"].plan_item.item.name for r in found] == ["塑钢窗更换"]


def test_milestones_carry_the_projects_own_share(busy, bureau, client, district):
    Milestone.objects.create(area=district, date=datetime.date(2021, 12, 31), target_share=Decimal("0.8"),
                             name="年底完成80%")
    Milestone.objects.create(area=district, date=datetime.date(2021, 7, 1), target_share=Decimal("0.9"))
    rows = _page(client, bureau, "milestones").context["milestone_rows"]
    assert [r["state"] for r in rows] == ["missed", "upcoming"]
    assert rows[1]["as_of"] == datetime.date(2021, 11, 25)


def test_a_contractor_sees_only_its_own_feedback_on_the_project(busy, contractor, bureau, client, east_community,
                                                                 officer):
    feedback.report(east_community, household=None, category="noise", text="夜里施工太吵", entered_by=officer)
    bureau_count = _page(client, bureau, "feedback").context["page"].paginator.count
    contractor_rows = list(_page(client, contractor, "feedback").context["page"])
    assert bureau_count == 1
    assert all(f.company_id == busy.contractor_id for f in contractor_rows)


def test_an_unknown_tab_opens_the_items(busy, bureau, client):
    assert _page(client, bureau, "<script>").context["tab"] == "items"
