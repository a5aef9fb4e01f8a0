import datetime

import pytest

from gaizao.planning import plans
from gaizao.works.models import Project, ProjectItem


def approved_plan(community):
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
def project(east_community, builder):
    return make_project("P1", east_community, builder)


@pytest.fixture
def rival_project(west_community, rival):
    return make_project("P2", west_community, rival)


def item(project, name):
    return project.items.get(plan_item__item__name=name)
