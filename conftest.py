"""Stock personas and a small district shared by the tests (healthchecks style: people, not factories)."""

from decimal import Decimal

import pytest

from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.communities.models import Building, Community
from gaizao.communities.services import refresh_eligibility
from gaizao.regions.models import Area, DistrictSettings
from gaizao.works.models import Company, CompanyMember

PASSWORD = "test-pass-2021"


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: LocaleMiddleware leaves the last request's language active."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_progress_sums():
    """Each worker keeps progress sums between requests (gaizao.works.measures); a test's rolled-back rows
    must not leave sums behind for the next test, whose rows may reuse the same ids on SQLite."""
    from gaizao.works.measures import forget_kept_sums

    forget_kept_sums()
    yield
    forget_kept_sums()


@pytest.fixture
def district(db):
    city = Area.objects.create(name="运城市", code="140800", level=Area.Level.CITY)
    yanhu = Area.objects.create(name="盐湖区", code="140802", level=Area.Level.DISTRICT, parent=city)
    DistrictSettings.objects.create(district=yanhu, cutoff_year=2000, default_cost_per_m2=Decimal("600"))
    return yanhu


@pytest.fixture
def dongcheng(district):
    return Area.objects.create(name="东城办事处", code="140802001", level=Area.Level.SUBDISTRICT, parent=district)


@pytest.fixture
def xicheng(district):
    return Area.objects.create(name="西城办事处", code="140802002", level=Area.Level.SUBDISTRICT, parent=district)


@pytest.fixture
def bureau(db):
    return ensure_user("bureau", PASSWORD, User.Role.BUREAU, full_name="住建局")


@pytest.fixture
def officer(dongcheng):
    return ensure_user("dongcheng", PASSWORD, User.Role.SUBDISTRICT_OFFICER, subdistrict=dongcheng)


@pytest.fixture
def resident(db):
    return ensure_user("resident", PASSWORD, User.Role.RESIDENT)


# Contractors: 中建交通建设集团 renovates the east community; a rival company has the west one.
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


def make_community(subdistrict, code, name, year_built=1992, buildings=((6, 48, "4200.50"),), **extra):
    community = Community.objects.create(code=code, name=name, subdistrict=subdistrict, year_built=year_built,
                                         **extra)
    for index, (floors, households, area) in enumerate(buildings, start=1):
        Building.objects.create(community=community, name=f"{index}号楼", floors=floors, households=households,
                                floor_area_m2=Decimal(area), year_built=year_built)
    refresh_eligibility([community.pk])
    community.refresh_from_db()
    return community


@pytest.fixture
def east_community(dongcheng):
    return make_community(dongcheng, "DC001", "康杰中学家属院", buildings=((4, 32, "2800"), (5, 40, "3600")),
                          investment_estimate=Decimal("3000000"), batch_year=2021, programme_status="implementing",
                          latitude=Decimal("35.026"), longitude=Decimal("111.007"))


@pytest.fixture
def west_community(xicheng):
    return make_community(xicheng, "XC001", "棉麻家属院", year_built=1988)


def workbook_bytes(communities=(), buildings=(), areas=()):
    """A census workbook from the template with these rows appended (lists in column order)."""
    from gaizao.communities.census.exporter import census_workbook
    from gaizao.core.excel import to_bytes

    workbook = census_workbook()
    for sheet, rows in (("区划", areas), ("小区", communities), ("楼栋", buildings)):
        for row in rows:
            workbook[sheet].append(list(row))
    return to_bytes(workbook)
