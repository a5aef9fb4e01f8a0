"""The joint meeting's small world: a water and a power company and the urban management bureau on it, a member
of each utility, and a meeting on 2021-11-01 while the platform lives on 2021-11-25."""

import datetime
from decimal import Decimal

import pytest

from conftest import PASSWORD
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.coordination import services, utility
from gaizao.coordination.models import Department, DepartmentMember

DAY = datetime.date(2021, 11, 25)
MEETING_DAY = datetime.date(2021, 11, 1)


@pytest.fixture(autouse=True)
def platform_day(settings):
    settings.GAIZAO_TODAY = DAY


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the msgids), whatever the catalogue translates."""
    from django.utils import translation

    with translation.override("en"):
        yield


def department_member(username, department):
    user = ensure_user(username, PASSWORD, User.Role.DEPARTMENT_MEMBER)
    DepartmentMember.objects.create(user=user, department=department)
    return user


@pytest.fixture
def water_company(db):
    return Department.objects.create(name="盐湖区供水公司", kind=Department.Kind.UTILITY,
                                     service=Department.Service.WATER, contact="王经理")


@pytest.fixture
def power_company(db):
    return Department.objects.create(name="国网运城供电公司", kind=Department.Kind.UTILITY,
                                     service=Department.Service.POWER)


@pytest.fixture
def urban_management(db):
    return Department.objects.create(name="盐湖区城市管理局", kind=Department.Kind.GOVERNMENT)


@pytest.fixture
def water(water_company):
    return department_member("water", water_company)


@pytest.fixture
def power(power_company):
    return department_member("power", power_company)


@pytest.fixture
def leader(db):
    return ensure_user("leader", PASSWORD, User.Role.LEADER)


@pytest.fixture
def meeting(bureau, water_company, power_company, urban_management):
    return services.record_meeting(bureau, date=MEETING_DAY, title="第三次联席会议",
                                   departments=[water_company, power_company, urban_management],
                                   minutes="协调管网改造与道路开挖。")


def add(bureau, meeting, lead, due, community=None, description="更换供水主管", **extra):
    return services.add_item(bureau, meeting, description=description, lead_department=lead, due_date=due,
                             community=community, **extra)


@pytest.fixture
def water_item(bureau, meeting, water_company, east_community):
    """Due 2021-11-20: overdue on the platform's day."""
    return add(bureau, meeting, water_company, datetime.date(2021, 11, 20), east_community)


@pytest.fixture
def power_item(bureau, meeting, power_company, west_community):
    """Due 2021-12-10: not yet due."""
    return add(bureau, meeting, power_company, datetime.date(2021, 12, 10), west_community,
               description="架空线入地")


@pytest.fixture
def water_work(bureau, water_company, east_community):
    return utility.add_work(bureau, community=east_community, utility=water_company,
                            description="更换小区供水管网", quantity=Decimal("800"), unit="m",
                            cost=Decimal("400000"), utility_share=Decimal("240000"), year=2021)


def png_upload(name="site.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
