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


@pytest.fixture(autouse=True)
def real_calendar():
    """Each test starts on the real date with no stored day, known without a query (pages' query counts stay
    pinned); a test that stores a day (the demo does) makes the clock remember it, and yanhu_demo reads it."""
    from gaizao.core import clock

    clock.remember(None)
    yield
    clock.remember(None)


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


@pytest.fixture
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dwellings(east_community):
    """Four registered dwellings of 康杰中学家属院: three in its first building, one in the second."""
    from gaizao.households.models import Household

    first, second = east_community.buildings.order_by("name")
    made = [Household.objects.create(building=first, stairwell_unit=unit, room=room, exclusive_area_m2=Decimal("70"))
            for unit, room in ((1, "101"), (1, "102"), (2, "201"))]
    made.append(Household.objects.create(building=second, stairwell_unit=1, room="101",
                                         exclusive_area_m2=Decimal("60")))
    return made


@pytest.fixture
def member(east_community):
    """A member of 康杰中学家属院's temporary residents' committee."""
    from gaizao.households.models import Committee, CommitteeMember

    user = ensure_user("weiyuan", PASSWORD, User.Role.COMMITTEE_MEMBER)
    committee = Committee.objects.create(community=east_community, name="康杰临时管委会")
    CommitteeMember.objects.create(committee=committee, user=user)
    return user


def workbook_bytes(communities=(), buildings=(), areas=()):
    """A census workbook from the template with these rows appended (lists in column order)."""
    from gaizao.communities.census.exporter import census_workbook
    from gaizao.core.excel import to_bytes

    workbook = census_workbook()
    for sheet, rows in (("区划", areas), ("小区", communities), ("楼栋", buildings)):
        for row in rows:
            workbook[sheet].append(list(row))
    return to_bytes(workbook)


# -- the Yanhu demo, loaded once per test worker ---------------------------------------------------------------
# Loading the demo takes seconds; two dozen tests read it. They share one load, kept in a transaction that is
# rolled back as soon as the next test is not a demo test, and each of them runs in a savepoint of its own.
# Demo tests are run last (see pytest_collection_modifyitems), so the load happens once per worker.

class _Demo:
    atomic = None
    output = ""
    blocker = None


def _uses_demo(item) -> bool:
    return "yanhu_demo" in getattr(item, "fixturenames", ())


@pytest.fixture(scope="session")
def _demo_transaction(django_db_setup, django_db_blocker):
    """Holds the demo's transaction; at the end of the session (before the test database goes) it is undone."""
    _Demo.blocker = django_db_blocker
    yield _Demo
    if _Demo.atomic is not None:
        _forget_demo()
    # After the browser tests (Playwright runs greenlets, and Django keeps a connection per context) the demo may
    # have used a connection of its own: close it, or PostgreSQL refuses to drop the test database.
    from django.db import connections

    connections.close_all()


@pytest.fixture
def yanhu_demo(request, _demo_transaction, django_db_blocker):
    """The Yanhu District demo as `gaizao load_demo` loads it; the value is what the command printed."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    if {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        raise pytest.UsageError("yanhu_demo runs a test in the shared demo's transaction: do not combine it with "
                                "django_db or fixtures that use db (create what you need inside the test).")
    with django_db_blocker.unblock():
        if _Demo.atomic is None:
            _Demo.atomic = transaction.atomic()
            _Demo.atomic.__enter__()
            out = StringIO()
            call_command("load_demo", stdout=out)
            _Demo.output = out.getvalue()
        test = transaction.atomic()
        test.__enter__()
        from gaizao.core import clock

        clock.forget()  # the demo stored its day (2021-11-25) in the shared transaction: read it
        try:
            yield _Demo.output
        finally:
            transaction.set_rollback(True)
            test.__exit__(None, None, None)


def _forget_demo() -> None:
    from django.db import transaction

    with _Demo.blocker.unblock():
        transaction.set_rollback(True)
        _Demo.atomic.__exit__(None, None, None)
    _Demo.atomic = None


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # Before a test that is not a demo test (after the last one, _demo_transaction's own teardown does it).
    if _Demo.atomic is not None and nextitem is not None and not _uses_demo(nextitem):
        _forget_demo()


@pytest.fixture(autouse=True)
def _django_db_marker(request):
    """pytest-django's own, except for demo tests: they run in the savepoint yanhu_demo opens, not in a
    transaction of their own (which would have to open before, and close after, the shared demo's)."""
    if request.node.get_closest_marker("django_db") and not _uses_demo(request.node):
        request.getfixturevalue("_django_db_helper")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Demo tests are marked django_db, so the test database is made for them too. Then, after
    pytest-randomly's shuffle and pytest-django's grouping: browser tests, then demo tests, last. A stable sort,
    so each group keeps its (random) order and a worker meets the demo tests in one run."""
    for item in items:
        if _uses_demo(item) and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)
    items.sort(key=lambda item: (_uses_demo(item), item.get_closest_marker("browser") is not None))
