"""`gaizao generate_data`: synthetic data that is consistent, repeatable, and that the pages can show."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from gaizao.accounts.models import User
from gaizao.communities.models import Building, Community
from gaizao.households.models import Household
from gaizao.planning.models import CommunityPlan, FundingShare
from gaizao.planning.plans import totals
from gaizao.votes import services as votes
from gaizao.votes.models import Ballot, Vote
from gaizao.works.models import ProgressEntry, Project, ProjectItem

pytestmark = pytest.mark.django_db


def generate(*args) -> str:
    out = StringIO()
    call_command("generate_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """One generated region for the module (generating per test would triple the time)."""
    with django_db_blocker.unblock():
        output = generate("--communities", "120", "--seed", "7", "--prefix", "98")
    yield output
    with django_db_blocker.unblock():
        from django.core.management import call_command as run
        run("flush", "--no-input", verbosity=0)  # the catalogue comes back by itself (catalog.apps)


def test_sizes_follow_the_national_averages(generated):
    assert Community.objects.filter(code__startswith="98").count() == 120
    buildings = Building.objects.count()
    households = Household.objects.count()
    assert 4 * 120 <= buildings <= 6 * 120  # about five a community
    assert households == Building.objects.aggregate(n=Sum("households"))["n"]  # every dwelling is there
    assert 25 * buildings <= households <= 35 * buildings
    assert ProgressEntry.objects.count() >= 0.95 * 200 * 120  # 200 lines a community by default
    assert "progress_entries" in generated and "households" in generated


def test_the_data_keeps_the_platform_rules(generated):
    # No item is reported past its planned quantity; every plan's funding adds up to its cost.
    rows = ProjectItem.objects.annotate(done=Sum("entries__quantity")).values_list("done", "plan_item__quantity")
    assert rows and all(round(done or 0, 2) <= planned for done, planned in rows)
    for plan in CommunityPlan.objects.filter(status="approved")[:20]:
        funded = FundingShare.objects.filter(plan=plan).aggregate(s=Sum("yuan"))["s"]
        assert funded == totals(plan)["total"] == plan.community.investment_estimate
    assert not Project.objects.filter(status="not_started", items__entries__isnull=False).exists()
    # Ballots are counted by the vote rules: turnout is the number of ballots cast.
    vote = Vote.objects.order_by("pk").first()
    assert votes.is_open(vote)
    result = votes.result(vote)
    assert result["participating"]["voters"] == Ballot.objects.filter(vote=vote).count() > 0
    assert result["total"]["voters"] == Household.objects.filter(building__community=vote.community).count()


def test_the_same_seed_gives_the_same_data(generated):
    fingerprint = (Community.objects.aggregate(a=Sum("year_built"))["a"],
                   Household.objects.aggregate(a=Sum("exclusive_area_m2"))["a"],
                   ProgressEntry.objects.aggregate(q=Sum("quantity"))["q"])
    with pytest.raises(CommandError, match="98"):
        generate("--communities", "120", "--seed", "7", "--prefix", "98")  # refused: the region is there
    generate("--communities", "120", "--seed", "7", "--prefix", "97")
    again = (Community.objects.filter(code__startswith="97").aggregate(a=Sum("year_built"))["a"],
             Household.objects.filter(building__community__code__startswith="97")
             .aggregate(a=Sum("exclusive_area_m2"))["a"],
             ProgressEntry.objects.filter(project_item__project__code__startswith="97")
             .aggregate(q=Sum("quantity"))["q"])
    assert again == fingerprint


@pytest.mark.parametrize("url", ["/summary/", "/communities/?q=家属院", "/works/dashboard/", "/works/bulletin/",
                                 "/votes/", "/feedback/"])
def test_pages_show_the_generated_region(generated, client, url):
    client.force_login(User.objects.get(username="bureau"))
    response = client.get(url)
    assert response.status_code == 200, url


def test_an_officer_sees_their_sub_district(generated, client):
    officer = Community.objects.filter(code__startswith="98").first().subdistrict
    user = User.objects.get(username=f"officer-{officer.code}")
    assert user.check_password("gaizao-demo-2021")
    client.force_login(user)
    response = client.get("/communities/")
    assert response.status_code == 200
    assert {c.subdistrict_id for c in response.context["page"].object_list} == {officer.pk}
