"""A utility's own works: recorded with its funding share, reported like a contractor's (never a day in the
future, append-only, corrections with a reason, photos checked), seen by the bureau, officers and itself only,
and kept out of works' progress figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gaizao.coordination import access, utility
from gaizao.coordination.models import UtilityProgress
from gaizao.coordination.tests.conftest import DAY, png_upload
from gaizao.works.measures import measures_on
from gaizao.works.models import Project


def test_the_share_is_given_in_yuan_or_as_a_percentage(bureau, water_company, east_community):
    assert utility.share_from(Decimal("400000"), None, Decimal("60")) == Decimal("240000.00")
    assert utility.share_from(Decimal("400000"), Decimal("1000"), None) == Decimal("1000")
    with pytest.raises(ValidationError, match="not both"):
        utility.share_from(Decimal("100"), Decimal("1"), Decimal("1"))
    with pytest.raises(ValidationError, match="in yuan or as a percentage"):
        utility.share_from(Decimal("100"), None, None)
    with pytest.raises(ValidationError, match="between 0 and 100"):
        utility.share_from(Decimal("100"), None, Decimal("120"))


def test_a_work_is_a_utilitys_with_a_share_within_its_cost(bureau, water_company, urban_management, east_community,
                                                           water):
    values = {"community": east_community, "description": "更换管网", "quantity": Decimal("10"), "unit": "m",
              "cost": Decimal("1000"), "year": 2021}
    with pytest.raises(ValidationError, match="between zero and the cost"):
        utility.add_work(bureau, utility=water_company, utility_share=Decimal("1001"), **values)
    with pytest.raises(ValidationError, match="Choose the utility"):
        utility.add_work(bureau, utility=urban_management, utility_share=Decimal("1"), **values)
    with pytest.raises(PermissionDenied):
        utility.add_work(water, utility=water_company, utility_share=Decimal("1"), **values)
    work = utility.add_work(bureau, utility=water_company, utility_share=Decimal("600"), **values)
    assert work.share_fraction == 0.6


def test_the_utility_reports_like_a_contractor(water, water_work):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        utility.report(water, water_work, DAY + datetime.timedelta(days=1), Decimal("10"))
    with pytest.raises(ValidationError, match="long before"):
        utility.report(water, water_work, datetime.date(2019, 12, 31), Decimal("10"))
    with pytest.raises(ValidationError, match="positive quantity"):
        utility.report(water, water_work, DAY, Decimal("-5"))
    first = utility.report(water, water_work, datetime.date(2021, 11, 20), Decimal("300"))
    utility.report(water, water_work, DAY, Decimal("200"), note="二期")
    assert utility.done_quantity(water_work) == 500
    assert utility.done_quantity(water_work, datetime.date(2021, 11, 21)) == 300
    # Past the planned 800 m only with a reason.
    with pytest.raises(ValidationError, match="variation reason"):
        utility.report(water, water_work, DAY, Decimal("301"))
    utility.report(water, water_work, DAY, Decimal("301"), variation_reason="增加支管")
    # A correction adds an entry; the original stays.
    with pytest.raises(ValidationError, match="needs a reason"):
        utility.correct(water, first, Decimal("-50"), "")
    with pytest.raises(ValidationError, match="below zero"):
        utility.correct(water, first, Decimal("-900"), "多报")
    fix = utility.correct(water, first, Decimal("-50"), "多报")
    assert fix.kind == UtilityProgress.Kind.CORRECTION and fix.date == first.date
    assert UtilityProgress.objects.filter(work=water_work).count() == 4
    assert utility.done_quantity(water_work) == 751


def test_only_the_utility_itself_or_the_bureau_reports(water_work, power, officer, leader, bureau):
    for user in (power, officer, leader):
        with pytest.raises(PermissionDenied):
            utility.report(user, water_work, DAY, Decimal("1"))
    assert utility.report(bureau, water_work, DAY, Decimal("1")).reporter == bureau


def test_who_sees_a_utilitys_works(water_work, water, power, officer, leader, contractor, xicheng):
    from gaizao.accounts.models import User
    from gaizao.accounts.services import ensure_user

    assert list(access.works_visible_to(water)) == [water_work]
    assert not access.works_visible_to(power).exists()
    assert list(access.works_visible_to(officer)) == [water_work]  # 东城's community
    west_officer = ensure_user("xicheng", "x", User.Role.SUBDISTRICT_OFFICER, subdistrict=xicheng)
    assert not access.works_visible_to(west_officer).exists()
    assert list(access.works_visible_to(leader)) == [water_work]
    assert not access.works_visible_to(contractor).exists()


def test_photos_are_checked_by_content(water, water_work, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = utility.report(water, water_work, DAY, Decimal("5"))
    assert utility.attach_photo(entry, png_upload()).entry == entry
    with pytest.raises(ValidationError, match="not a photo"):
        utility.attach_photo(entry, SimpleUploadedFile("pipe.jpg", b"not an image"))


def test_a_utilitys_work_stays_out_of_the_construction_figures(water, water_work, east_community, builder):
    from gaizao.works.tests.conftest import make_project

    make_project("P1", east_community, builder)
    before = measures_on(DAY, Project.objects.all()).district
    utility.report(water, water_work, DAY, Decimal("400"))
    after = measures_on(DAY, Project.objects.all()).district
    assert after["done_value"] == before["done_value"] and after["planned_value"] == before["planned_value"]
