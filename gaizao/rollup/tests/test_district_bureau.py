"""A district's own bureau on a platform shared by several districts (User.area on a bureau account): it sees and
writes only in its district; another district's projects, votes and communities are a 404 (or a refusal)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from conftest import PASSWORD
from gaizao.accounts import scope
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.communities.models import Community
from gaizao.core import clock
from gaizao.planning.programme import programmes_visible_to
from gaizao.rollup.tests.conftest import DAY
from gaizao.votes import services as votes
from gaizao.votes.models import Vote
from gaizao.works.access import projects_visible_to
from gaizao.works.models import Acceptance, ProgressEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def yongji_bureau(province):
    """永济市's bureau: the neighbour of 盐湖区 in 运城市."""
    return ensure_user("yongji", PASSWORD, User.Role.BUREAU, area=province["yongji"])


@pytest.fixture
def yanhu_vote(province, bureau):
    community = Community.objects.get(code="YH001")
    now = clock.now()
    return votes.create_vote(bureau, community, title="加装电梯表决", opens_at=now - datetime.timedelta(days=1),
                             closes_at=now + datetime.timedelta(days=7))


def test_it_sees_its_district_only(province, yongji_bureau):
    assert scope.is_district_bureau(yongji_bureau) and not yongji_bureau.sees_whole_district
    assert yongji_bureau.works_on_programme and not yongji_bureau.is_staff  # no admin: it edits the whole platform
    assert list(Community.objects.visible_to(yongji_bureau).values_list("code", flat=True)) == ["YJ001"]
    assert list(projects_visible_to(yongji_bureau).values_list("code", flat=True)) == ["P2"]
    assert not programmes_visible_to(yongji_bureau).exclude(district=province["yongji"]).exists()
    assert scope.runs(yongji_bureau, Community.objects.get(code="YJ001").subdistrict_id)
    assert not scope.runs(yongji_bureau, Community.objects.get(code="YH001").subdistrict_id)


def test_it_cannot_report_accept_or_vote_in_another_district(province, yongji_bureau, yanhu_vote, client):
    client.force_login(yongji_bureau)
    p1 = province["projects"][0]  # 盐湖区's
    item = p1.items.order_by("pk").first()
    before = ProgressEntry.objects.count()
    refused = (403, 404)
    answers = {
        "report": client.post(reverse("works:report", args=[p1.code]),
                              {"date": DAY.isoformat(), f"qty_{item.pk}": "1", "stage": "during"}),
        "report (API)": client.post(reverse("project-report", args=[p1.code]),
                                    {"date": DAY.isoformat(), "quantities": {str(item.pk): "1"}},
                                    content_type="application/json"),
        "acceptance": client.post(reverse("works:acceptance", args=[p1.code]),
                                  {"date": DAY.isoformat(), "participants": "住建局", "checks": []}),
        "paper ballot": client.post(reverse("votes:paper", args=[yanhu_vote.pk]), {"household": 1, "choice": "yes"}),
        "ballot (API)": client.post(reverse("api-vote-ballots", args=[yanhu_vote.pk]),
                                    {"household": 1, "choice": "yes"}, content_type="application/json"),
        "vote extended": client.post(reverse("votes:extend", args=[yanhu_vote.pk]),
                                     {"closes_at": "2031-01-01T10:00", "reason": "春节后"}),
        "community": client.get(reverse("communities:detail", args=["YH001"])),
        "plan": client.post(reverse("planning:community_plan_action", args=["YH001"]), {"action": "propose"}),
    }
    wrong = {name: r.status_code for name, r in answers.items() if r.status_code not in refused}
    assert not wrong, wrong
    assert ProgressEntry.objects.count() == before
    assert not Acceptance.objects.filter(project=p1).exists()
    # A vote in 盐湖区 through the form: the community is not among its choices, nothing is created.
    client.post(reverse("votes:create"), {"community": Community.objects.get(code="YH001").pk, "title": "表决",
                                          "subject": "other", "matter": "other", "electorate": "community",
                                          "opens_at": "2031-01-01T10:00", "closes_at": "2031-01-10T10:00"})
    assert not Vote.objects.filter(title="表决").exists()


def test_it_works_in_its_own_district(province, yongji_bureau, client):
    client.force_login(yongji_bureau)
    p2 = province["projects"][1]  # 永济市's
    item = p2.items.order_by("pk").first()
    response = client.post(reverse("works:report", args=[p2.code]),
                           {"date": DAY.isoformat(), f"qty_{item.pk}": "0", "stage": "during", "note": "复查"})
    assert response.status_code in (200, 302)
    assert client.get(reverse("works:acceptance", args=[p2.code])).status_code == 200
    assert client.get(reverse("communities:edit", args=["YJ001"])).status_code == 200
    dashboard = client.get(reverse("works:dashboard"), {"date": DAY.isoformat()})
    assert dashboard.status_code == 200 and dashboard.context["data"]["district"]["projects"] == 1
    # Its roll-up is its district's; the city's is not its own.
    assert client.get(reverse("rollup:area", args=["140881"])).status_code == 200
    assert client.get(reverse("rollup:area", args=["140800"])).status_code == 404
    assert client.get(reverse("works:dashboard"), {"district": "140802"}).status_code == 404


def test_the_database_and_the_form_say_who_may_have_an_area(province):
    with pytest.raises(IntegrityError), transaction.atomic():
        ensure_user("site", PASSWORD, User.Role.CONTRACTOR, area=province["yongji"])
    city_bureau = User(username="city", role=User.Role.BUREAU, area=province["yuncheng"])
    with pytest.raises(ValidationError) as error:
        city_bureau.full_clean()
    assert "area" in error.value.message_dict
    User(username="county", role=User.Role.BUREAU, area=province["yongji"]).full_clean(exclude=["password"])
