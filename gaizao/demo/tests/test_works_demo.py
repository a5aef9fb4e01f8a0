"""The construction demo reproduces the progress Yanhu District published on 2021-11-25 (domain.md, section 1)."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count, Max, Min, Sum
from django.test import RequestFactory

from gaizao.communities.models import Community
from gaizao.core.models import AuditEntry
from gaizao.planning.models import CommunityPlan, PlanItem
from gaizao.planning.plans import totals
from gaizao.reports.services import district_summary
from gaizao.works.access import may_report, projects_visible_to
from gaizao.works.measures import forecasts, measures_on
from gaizao.works.models import Company, Milestone, ProgressEntry, Project, ProjectItem

DAY = datetime.date(2021, 11, 25)
PUBLISHED = {"JC01": 2000, "JC02": 3710, "JC03": 123000, "JC04": 14000, "JC05": 25000, "JC06": 35000,
             "JC07": 6894, "JC08": 3188, "JC10": 4632, "JC11": 245}


def load(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(yanhu_demo):
    return yanhu_demo


def _state():
    """What the works demo wrote, to compare two loads."""
    return {
        "projects": list(Project.objects.order_by("code").values_list(
            "code", "name", "contractor__name", "supervisor__name", "contract_value", "planned_start",
            "planned_finish", "actual_start", "status")),
        "items": ProjectItem.objects.count(),
        "entries": list(ProgressEntry.objects.order_by("project_item__project__code", "date").values(
            "project_item__project__code", "date").annotate(total=Sum("quantity")).values_list(
            "project_item__project__code", "date", "total")),
        "plans": CommunityPlan.objects.count(),
        "companies": Company.objects.count(),
        "milestones": Milestone.objects.count(),
    }


def test_the_progress_on_the_newspaper_day_is_the_published_one(demo):
    assert "40" in demo and "37" in demo and "2021年11月25日" in demo and "25 Nov 2021" in demo
    measures = measures_on(DAY)

    done = {item["code"]: item["done"] for item in measures.items}
    assert {code: done[code] for code in PUBLISHED} == {code: Decimal(n) for code, n in PUBLISHED.items()}
    assert (measures.district["projects"], measures.district["started"]) == (40, 37)
    assert 0.55 <= measures.district["share"] <= 0.75
    assert measures.district["planned_value"] == pytest.approx(Decimal(236_000_000), rel=Decimal("0.01"))
    assert len(measures.subdistricts) == 7
    # Some offices and projects lag, so the bulletin and the forecasts have something to say.
    assert min(s["share"] for s in measures.subdistricts) < 0.5 < max(s["share"] for s in measures.subdistricts)
    milestone = Milestone.objects.get(area__code="140802")
    assert (milestone.date, milestone.target_share, milestone.name) == (datetime.date(2021, 12, 31),
                                                                        Decimal("0.8"), "年底完成80%")
    at_risk = [f for f in forecasts(DAY, milestone) if f.at_risk]
    assert 3 < len(at_risk) < 40


def test_no_item_is_done_past_its_plan_and_the_projects_started_as_reported(demo):
    items = ProjectItem.objects.annotate(done=Sum("entries__quantity")).values_list("done", "plan_item__quantity")
    assert all((done or 0) <= planned for done, planned in items)
    assert not ProgressEntry.objects.exclude(kind="report").exists()
    assert not ProgressEntry.objects.filter(quantity__lte=0).exists()
    assert ProgressEntry.objects.aggregate(last=Max("date"))["last"] == DAY
    # The 2021 batch's projects (the earlier renovations of the after-acceptance demo were accepted before 2021).
    projects = Project.objects.filter(code__startswith="YH2021-").annotate(first=Min("items__entries__date"))
    started = projects.filter(actual_start__isnull=False)
    assert started.count() == 37
    for project in started:
        assert project.actual_start == project.first, project  # as record_progress sets it
        assert datetime.date(2021, 4, 15) <= project.actual_start <= datetime.date(2021, 10, 20)
        assert project.status == Project.Status.UNDER_CONSTRUCTION
        assert datetime.date(2021, 4, 1) <= project.planned_start <= datetime.date(2021, 7, 31)
        assert datetime.date(2022, 1, 1) <= project.planned_finish <= datetime.date(2022, 3, 31)
    waiting = projects.filter(actual_start__isnull=True)
    assert {p.status for p in waiting} == {Project.Status.NOT_STARTED}
    assert {p.first for p in waiting} == {None}


def test_the_projects_cover_the_2021_batch_with_approved_funded_plans(demo):
    batch = Community.objects.filter(batch_year=2021, is_eligible=True, subdistrict__parent__code="140802")
    projects = Project.objects.filter(code__startswith="YH2021-")  # not the earlier renovations (aftercare)
    covered = projects.values_list("communities", flat=True)
    assert sorted(covered) == sorted(batch.values_list("pk", flat=True))  # each community in one project
    sizes = sorted(projects.annotate(n=Count("communities")).values_list("n", flat=True))
    assert sizes == [1] * 31 + [2] * 9
    assert Project.objects.get(communities__name="康杰中学家属院").contractor.name == "中建交通建设集团"
    assert [p.code for p in projects] == [f"YH2021-{n:02d}" for n in range(1, 41)]

    approved = CommunityPlan.objects.filter(community__in=batch, status=CommunityPlan.Status.APPROVED)
    assert approved.count() == 49
    assert approved.filter(items__item__code="JC01").distinct().count() >= 20
    for plan in approved.select_related("community"):
        figures = totals(plan)
        assert figures["unfunded"] == 0 and figures["total"] > 0
        assert plan.community.investment_estimate == figures["total"]
    assert set(ProjectItem.objects.filter(project__in=projects).values_list("plan_item", flat=True)) == set(
        PlanItem.objects.filter(plan__in=approved).values_list("pk", flat=True))
    for project in projects.prefetch_related("communities"):
        planned = sum((totals(approved.get(community=c))["total"] for c in project.communities.all()), Decimal(0))
        assert project.contract_value == pytest.approx(planned, rel=Decimal("0.03"))

    summary = district_summary().as_json()
    assert summary["by_batch_year"]["2021"]["estimated_investment_yuan"] == pytest.approx(236_000_000, rel=0.01)
    assert summary["eligible"]["estimated_investment_yuan"] == pytest.approx(1_200_000_000, rel=0.01)


def test_the_demo_contractor_sees_and_reports_only_on_its_companys_projects(demo):
    assert "contractor" in demo
    user = authenticate(RequestFactory().post("/accounts/login/"), username="contractor", password="gaizao-demo-2021")
    assert user is not None and user.role == "contractor"
    own = Project.objects.filter(contractor__name="中建交通建设集团")
    visible = projects_visible_to(user)
    assert 0 < visible.count() < 40
    assert set(visible) == set(own)
    assert all(may_report(user, p) for p in own)
    assert not any(may_report(user, p) for p in Project.objects.exclude(contractor__name="中建交通建设集团"))


def test_loading_again_adds_nothing_and_reset_loads_the_same_works(demo):
    state, audit = _state(), AuditEntry.objects.count()
    load()
    assert _state() == state
    assert AuditEntry.objects.count() == audit

    load("--reset")
    again = _state()
    assert again == state
    done = {item["code"]: item["done"] for item in measures_on(DAY).items}
    assert {code: done[code] for code in PUBLISHED} == {code: Decimal(n) for code, n in PUBLISHED.items()}
