"""A small district with one of everything the API serves, shared by the API tests."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from conftest import PASSWORD
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.feedback import services as feedback
from gaizao.households.models import Household, Owner, Ownership
from gaizao.notices import services as notices
from gaizao.planning import programme as programmes
from gaizao.planning.models import Programme, ProgrammeYear
from gaizao.surveys.models import Survey
from gaizao.votes import services as votes
from gaizao.works import services as works
from gaizao.works.models import Company, CompanyMember
from gaizao.works.tests.conftest import make_project

PHONE, ID_NUMBER = "13912345678", "140802197001011234"


@pytest.fixture
def api_district(bureau, district, east_community, west_community):
    """Two communities in two sub-districts, each with a project of its own contractor; a programme; in the east
    community a household with an owner, a vote, a needs survey, feedback and a notice."""
    builder = Company.objects.create(name="中建交通建设集团", kind=Company.Kind.CONTRACTOR)
    rival = Company.objects.create(name="运城市第二建筑工程有限公司", kind=Company.Kind.CONTRACTOR)
    site = ensure_user("site", PASSWORD, User.Role.CONTRACTOR)
    CompanyMember.objects.create(user=site, company=builder)
    east_project = make_project("P1", east_community, builder)
    west_project = make_project("P2", west_community, rival)
    day = timezone.localdate()
    for project in (east_project, west_project):
        item = project.items.order_by("pk").first()
        works.record_progress(bureau, project, day, {item.pk: Decimal(1)})
    programme = Programme.objects.create(name="2021—2025", district=district, first_year=2021, last_year=2025,
                                         current_year=2021)
    for year in range(2021, 2026):
        ProgrammeYear.objects.create(programme=programme, year=year, budget_yuan=Decimal(5_000_000))
    programmes.sync_assignments(programme)
    home = Household.objects.create(building=east_community.buildings.first(), stairwell_unit=1, room="101",
                                    exclusive_area_m2=Decimal("72.5"))
    owner = Owner.objects.create(community=east_community, name="张伟", phone=PHONE, id_number=ID_NUMBER)
    Ownership.objects.create(household=home, owner=owner)
    now = timezone.now()
    vote = votes.create_vote(bureau, east_community, title="改造方案表决", opens_at=now - datetime.timedelta(days=1),
                             closes_at=now + datetime.timedelta(days=6))
    hour = datetime.timedelta(hours=1)
    survey = Survey.objects.create(community=east_community, kind=Survey.Kind.NEEDS, title="改造需求调查",
                                   opens_at=now - hour, closes_at=now + 24 * hour)
    item = feedback.report(east_community, household=home, category="other", text="楼道灯不亮", entered_by=bureau)
    notices.publish(bureau, title="停水通知", body="明日停水", community=east_community)
    return SimpleNamespace(east=east_community, west=west_community, programme=programme, site=site, home=home,
                           vote=vote, survey=survey, feedback=item, east_project=east_project,
                           west_project=west_project)
