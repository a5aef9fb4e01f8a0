import datetime

import pytest

from conftest import PASSWORD
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.catalog.models import UnitCost, WorkItem
from gaizao.catalog.seed import seed
from gaizao.planning import plans
from gaizao.works.models import Company, CompanyMember, Project, ProjectItem


def approved_plan(community):
    # Transactional tests flush the database, migration data included; the catalog must be there to plan.
    seed(WorkItem, UnitCost)
    plan = plans.propose_plan(None, community, cost_date=datetime.date(2021, 3, 1))
    total = plans.totals(plan)["total"]
    plans.update_plan(None, plan, quantities={}, funding={"central_subsidy": total})
    plans.publish(None, plan)
    plans.approve(None, plan)
    return plan


def make_project(code, community, contractor, start=datetime.date(2021, 5, 1)):
    project = Project.objects.create(code=code, name=f"{community.name}改造", contractor=contractor,
                                     planned_start=start, planned_finish=datetime.date(2022, 1, 31))
    project.communities.add(community)
    for plan_item in approved_plan(community).items.all():
        ProjectItem.objects.create(project=project, plan_item=plan_item)
    return project


@pytest.fixture
def builder(db):
    return Company.objects.create(name="中建交通建设集团", kind=Company.Kind.CONTRACTOR)


@pytest.fixture
def rival(db):
    return Company.objects.create(name="运城市第二建筑工程有限公司", kind=Company.Kind.CONTRACTOR)


@pytest.fixture
def contractor(builder):
    user = ensure_user("site", PASSWORD, User.Role.CONTRACTOR)
    CompanyMember.objects.create(user=user, company=builder)
    return user


@pytest.fixture
def rival_user(rival):
    user = ensure_user("rival", PASSWORD, User.Role.CONTRACTOR)
    CompanyMember.objects.create(user=user, company=rival)
    return user


@pytest.fixture
def project(east_community, builder):
    return make_project("P1", east_community, builder)


@pytest.fixture
def rival_project(west_community, rival):
    return make_project("P2", west_community, rival)


def item(project, name):
    return project.items.get(plan_item__item__name=name)
