"""A small district after its works: 康杰中学家属院 (东城) accepted on 2021-06-01, 棉麻家属院 (西城) accepted on
2021-10-01, the platform living on 2021-11-25 (the demo's day) unless a test moves it."""

import datetime
from decimal import Decimal

import pytest

from gaizao.works.models import Acceptance, Project

DAY = datetime.date(2021, 11, 25)
EAST_ACCEPTED = datetime.date(2021, 6, 1)
WEST_ACCEPTED = datetime.date(2021, 10, 1)


def project_for(code, community, contractor):
    project = Project.objects.create(code=code, name=f"{community.name}改造", contractor=contractor,
                                     status=Project.Status.ACCEPTED, planned_start=datetime.date(2021, 3, 1),
                                     planned_finish=datetime.date(2021, 5, 31), actual_start=datetime.date(2021, 3, 1))
    project.communities.add(community)
    return project


def accept(project, day):
    """Records the acceptance the way any code does (the signal schedules the return visits)."""
    return Acceptance.objects.create(project=project, date=day, participants="住建局\n居民代表",
                                     checklist=dict.fromkeys(["documents", "quantities", "quality", "residents",
                                                              "handover"], True))


@pytest.fixture
def today(settings):
    settings.GAIZAO_TODAY = DAY
    return DAY


@pytest.fixture
def east_project(east_community, builder, today):
    project = project_for("P1", east_community, builder)
    accept(project, EAST_ACCEPTED)
    return project


@pytest.fixture
def west_project(west_community, rival, today):
    project = project_for("P2", west_community, rival)
    accept(project, WEST_ACCEPTED)
    return project


@pytest.fixture
def leader(db):
    from conftest import PASSWORD
    from gaizao.accounts.models import User
    from gaizao.accounts.services import ensure_user

    return ensure_user("leader", PASSWORD, User.Role.LEADER)


@pytest.fixture
def west_officer(xicheng):
    from conftest import PASSWORD
    from gaizao.accounts.models import User
    from gaizao.accounts.services import ensure_user

    return ensure_user("xicheng", PASSWORD, User.Role.SUBDISTRICT_OFFICER, subdistrict=xicheng)


def values(**changes) -> dict:
    """An arrangement as the form hands it to the service."""
    base = {"kind": "property_company", "body_name": "运城市盐湖区安居物业服务有限公司", "contact_name": "王建国",
            "contact_phone": "13912345678", "since": datetime.date(2021, 7, 1), "fee_per_m2_month": Decimal("0.60"),
            "collection_rate": Decimal("85"), "has_maintenance_fund": True, "fund_balance": Decimal("126000"),
            "notes": ""}
    return {**base, **changes}
