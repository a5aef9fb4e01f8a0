"""A small district after acceptance: 康杰中学家属院 (东城) renovated by 中建交通建设集团 under a project accepted on
18 October 2019, 棉麻家属院 (西城) by a rival company accepted on 1 June 2021, and the platform living on
25 November 2021 (core.clock), when the roof waterproofing (5 years) is under warranty and the water pipes
(2 years) are not."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import PASSWORD
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.households.models import Household
from gaizao.planning.models import PlanItem
from gaizao.works.models import Acceptance, Project, ProjectItem
from gaizao.works.tests.conftest import approved_plan

TODAY = datetime.date(2021, 11, 25)
EAST_ACCEPTED = datetime.date(2019, 10, 18)
WEST_ACCEPTED = datetime.date(2021, 6, 1)


def accepted_project(code, community, company, accepted, start=datetime.date(2019, 4, 1), items=None):
    """A project over the community's approved plan (only the items named, if given), accepted on `accepted`."""
    project = Project.objects.create(code=code, name=f"{community.name}改造", contractor=company, planned_start=start,
                                     planned_finish=accepted, actual_start=start, actual_finish=accepted,
                                     status=Project.Status.ACCEPTED)
    project.communities.add(community)
    plan = approved_plan(community)
    for plan_item in plan.items.select_related("item"):
        if items is None or plan_item.item.name in items:
            ProjectItem.objects.create(project=project, plan_item=plan_item)
    Acceptance.objects.create(project=project, date=accepted, participants="住建局\n居民代表")
    return project


def ensure_item(community, project, name, quantity="100"):
    """The community's plan item of this work (added to the approved plan if it has none) in the project."""
    from gaizao.catalog.models import WorkItem

    plan = community.plans.get(status="approved")
    work = WorkItem.objects.get(name=name)
    plan_item = PlanItem.objects.filter(plan=plan, item=work).first() or PlanItem.objects.create(
        plan=plan, item=work, quantity=Decimal(quantity), unit_cost=Decimal("100"))
    found = ProjectItem.objects.filter(plan_item=plan_item).first()
    return found or ProjectItem.objects.create(project=project, plan_item=plan_item)


@pytest.fixture
def today(settings):
    settings.GAIZAO_TODAY = TODAY
    return TODAY


@pytest.fixture
def east_project(east_community, builder, today):
    project = accepted_project("P2019", east_community, builder, EAST_ACCEPTED)
    ensure_item(east_community, project, "供水管网改造")
    ensure_item(east_community, project, "供暖管网改造")
    return project


@pytest.fixture
def roof(east_project):
    return east_project.items.get(plan_item__item__name="屋面防水")


@pytest.fixture
def pipes(east_project):
    return east_project.items.get(plan_item__item__name="供水管网改造")


@pytest.fixture
def west_project(west_community, rival, today):
    return accepted_project("P2021X", west_community, rival, WEST_ACCEPTED, start=datetime.date(2021, 3, 1))


@pytest.fixture
def homes(east_community):
    first = east_community.buildings.order_by("name").first()
    return [Household.objects.create(building=first, stairwell_unit=1, room=room, exclusive_area_m2=Decimal("70"))
            for room in ("601", "602")]


@pytest.fixture
def west_home(west_community):
    building = west_community.buildings.first()
    return Household.objects.create(building=building, stairwell_unit=1, room="101", exclusive_area_m2=Decimal("60"))


@pytest.fixture
def west_officer(xicheng):
    return ensure_user("xicheng", PASSWORD, User.Role.SUBDISTRICT_OFFICER, subdistrict=xicheng)


def image_bytes(kind="PNG", size=(16, 12)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, format=kind)
    return buffer.getvalue()


def photo(name="leak.png", kind="PNG"):
    return SimpleUploadedFile(name, image_bytes(kind), content_type=f"image/{kind.lower()}")
