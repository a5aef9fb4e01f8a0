"""Meetings and their items: what is refused and why, who sees and closes what, overdue by the platform's day."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from gaizao.coordination import access, services
from gaizao.coordination.models import CoordinationItem, Department, ItemUpdate
from gaizao.coordination.tests.conftest import DAY, MEETING_DAY, add

Status = CoordinationItem.Status


# ---- meetings -------------------------------------------------------------------------------------------------

def test_a_meeting_is_recorded_once_held_so_never_after_the_platforms_today(bureau, water_company):
    with pytest.raises(ValidationError, match="cannot be after today"):
        services.record_meeting(bureau, date=DAY + datetime.timedelta(days=1), title="下周例会",
                                departments=[water_company])
    meeting = services.record_meeting(bureau, date=DAY, title="今日例会", departments=[water_company])
    assert meeting.date == DAY and list(meeting.departments.all()) == [water_company]


def test_a_meeting_needs_a_title_attendees_and_a_plausible_year(bureau, water_company):
    with pytest.raises(ValidationError, match="title"):
        services.record_meeting(bureau, date=MEETING_DAY, title=" ", departments=[water_company])
    with pytest.raises(ValidationError, match="who attended"):
        services.record_meeting(bureau, date=MEETING_DAY, title="例会")
    with pytest.raises(ValidationError, match="check the year"):
        services.record_meeting(bureau, date=datetime.date(2011, 11, 1), title="例会", departments=[water_company])
    # free-text attendees alone will do
    assert services.record_meeting(bureau, date=MEETING_DAY, title="例会", other_attendees="市自然资源局")


def test_only_bureau_staff_record_meetings_and_items(meeting, water, officer, leader, water_company):
    for user in (water, officer, leader):
        with pytest.raises(PermissionDenied):
            services.record_meeting(user, date=MEETING_DAY, title="例会", departments=[water_company])
        with pytest.raises(PermissionDenied):
            add(user, meeting, water_company, DAY)


# ---- items: refused without a lead department or a due date -----------------------------------------------------

def test_an_item_without_a_lead_department_or_due_date_is_refused_with_a_clear_message(bureau, meeting):
    with pytest.raises(ValidationError) as refused:
        services.add_item(bureau, meeting, description="道路开挖审批", lead_department=None, due_date=None)
    messages = refused.value.messages
    assert any("department that leads" in m for m in messages)
    assert any("date the item is due" in m for m in messages)
    assert not CoordinationItem.objects.exists()


def test_an_item_is_due_after_its_meeting_and_about_a_community_or_a_project_not_both(
        bureau, meeting, water_company, east_community, builder):
    from gaizao.works.tests.conftest import make_project

    with pytest.raises(ValidationError, match="before the meeting"):
        add(bureau, meeting, water_company, MEETING_DAY - datetime.timedelta(days=1))
    project = make_project("P1", east_community, builder)
    with pytest.raises(ValidationError, match="not both"):
        add(bureau, meeting, water_company, DAY, east_community, project=project)
    with pytest.raises(ValidationError, match="what is to be done"):
        add(bureau, meeting, water_company, DAY, description="  ")
    item = add(bureau, meeting, water_company, DAY, project=project)
    assert item.project == project and item.community is None


def test_the_database_refuses_a_done_item_without_a_closing_day_or_evidence(water_item):
    with transaction.atomic(), pytest.raises(IntegrityError):
        CoordinationItem.objects.filter(pk=water_item.pk).update(status=Status.DONE)
    with transaction.atomic(), pytest.raises(IntegrityError):
        CoordinationItem.objects.filter(pk=water_item.pk).update(status=Status.DONE, closed_on=DAY)


def test_a_utility_names_its_service_and_an_office_its_sub_district(db, dongcheng):
    with pytest.raises(ValidationError, match="supplies"):
        Department(name="燃气公司", kind=Department.Kind.UTILITY).full_clean()
    with pytest.raises(ValidationError, match="names its sub-district"):
        Department(name="东城办事处", kind=Department.Kind.SUBDISTRICT).full_clean()
    Department(name="东城办事处", kind=Department.Kind.SUBDISTRICT, subdistrict=dongcheng).full_clean()


def test_the_lead_department_is_not_also_an_other_department(bureau, meeting, water_company, power_company):
    item = add(bureau, meeting, water_company, DAY, other_departments=[water_company, power_company])
    assert list(item.other_departments.all()) == [power_company]
    assert item.updates.get().status == Status.OPEN


# ---- scope: a department sees and closes its own items only -----------------------------------------------------

def test_a_department_sees_its_own_items_and_those_it_shares_never_anothers(
        water, power, water_item, power_item, bureau, meeting, water_company, power_company):
    shared = add(bureau, meeting, power_company, DAY, other_departments=[water_company], description="联合开挖")
    assert set(access.items_visible_to(water)) == {water_item, shared}
    assert set(access.items_visible_to(power)) == {power_item, shared}
    # it shares the power company's item but does not lead it: it may not close it
    assert not access.may_act_on(water, shared)
    with pytest.raises(PermissionDenied):
        services.close_item(water, shared, evidence="已完成")
    with pytest.raises(PermissionDenied):
        services.close_item(water, power_item, evidence="已完成")
    power_item.refresh_from_db()
    assert power_item.status == Status.OPEN


def test_officers_see_their_sub_districts_items_and_leaders_read_all(
        officer, leader, water_item, power_item, contractor, member):
    assert list(access.items_visible_to(officer)) == [water_item]  # 东城's community, not 西城's
    assert set(access.items_visible_to(leader)) == {water_item, power_item}
    assert not access.may_act_on(leader, water_item)
    for outsider in (contractor, member):
        assert not access.items_visible_to(outsider).exists()
        assert not access.meetings_visible_to(outsider).exists()


def test_an_officer_acts_for_their_office_when_it_leads(bureau, meeting, officer, dongcheng):
    office = Department.objects.create(name="东城办事处", kind=Department.Kind.SUBDISTRICT, subdistrict=dongcheng)
    item = add(bureau, meeting, office, DAY, description="协调居民腾退")
    assert item in access.items_visible_to(officer)
    services.close_item(officer, item, evidence="已腾退，见签字表")
    item.refresh_from_db()
    assert item.status == Status.DONE and item.closed_by == officer


def test_a_department_sees_the_meetings_it_attended_or_that_gave_it_an_item(
        bureau, water, water_company, power_company, meeting):
    other = services.record_meeting(bureau, date=MEETING_DAY, title="供电专题会", departments=[power_company])
    visible = set(access.meetings_visible_to(water))
    assert meeting in visible and other not in visible
    add(bureau, other, power_company, DAY, other_departments=[water_company])
    assert other in set(access.meetings_visible_to(water))


# ---- updating and closing ----------------------------------------------------------------------------------------

def test_the_lead_department_records_progress_then_closes_with_evidence(water, water_item):
    services.update_item(water, water_item, "已完成管线勘察")
    water_item.refresh_from_db()
    assert water_item.status == Status.IN_PROGRESS
    with pytest.raises(ValidationError, match="evidence"):
        services.close_item(water, water_item, evidence="  ")
    document = SimpleUploadedFile("竣工照片.pdf", b"%PDF-1.4 evidence")
    services.close_item(water, water_item, evidence="主管已更换并通水，见验收单", document=document)
    water_item.refresh_from_db()
    assert (water_item.status, water_item.closed_on, water_item.closed_by) == (Status.DONE, DAY, water)
    assert water_item.evidence_file_name == "竣工照片.pdf"
    assert "竣工照片" not in water_item.evidence_file.name  # stored under a random name
    assert [u.status for u in water_item.updates.all()] == [Status.OPEN, Status.IN_PROGRESS, Status.DONE]
    with pytest.raises(ValidationError, match="already done"):
        services.close_item(water, water_item, evidence="再次")
    with pytest.raises(ValidationError, match="already done"):
        services.update_item(water, water_item, "补充")


def test_an_evidence_document_is_checked_by_its_content(water, water_item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError, match="not a PDF"):
        services.close_item(water, water_item, evidence="见附件", document=fake)
    water_item.refresh_from_db()
    assert water_item.status == Status.OPEN and not ItemUpdate.objects.filter(status=Status.DONE).exists()


def test_an_item_is_closed_on_the_platforms_today_not_a_chosen_day(water, water_item):
    with pytest.raises(ValidationError, match="between its meeting"):
        services.close_item(water, water_item, evidence="已完成", day=DAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="between its meeting"):
        services.close_item(water, water_item, evidence="已完成", day=MEETING_DAY - datetime.timedelta(days=1))


# ---- overdue by the platform's clock -----------------------------------------------------------------------------

def test_overdue_follows_the_platforms_day_not_the_machines(water_item, power_item, settings, monkeypatch):
    from gaizao.core import clock

    monkeypatch.setattr(clock, "real_today", lambda: datetime.date(2026, 3, 2))
    assert services.is_overdue(water_item) and not services.is_overdue(power_item)
    assert set(CoordinationItem.objects.filter(services.overdue_q(DAY))) == {water_item}
    settings.GAIZAO_TODAY = datetime.date(2021, 11, 20)  # due that very day: not yet overdue
    assert not services.is_overdue(water_item)
    settings.GAIZAO_TODAY = datetime.date(2021, 12, 11)
    assert services.is_overdue(power_item)


def test_an_item_counts_as_overdue_on_the_days_before_it_was_closed(water, water_item):
    services.close_item(water, water_item, evidence="已完成", day=datetime.date(2021, 11, 23))
    water_item.refresh_from_db()
    assert services.is_overdue(water_item, datetime.date(2021, 11, 22))
    assert not services.is_overdue(water_item, datetime.date(2021, 11, 23))
    assert not services.is_overdue(water_item, DAY)
    on = {day: CoordinationItem.objects.filter(services.overdue_q(day)).count()
          for day in (datetime.date(2021, 11, 20), datetime.date(2021, 11, 21), datetime.date(2021, 11, 23))}
    assert on == {datetime.date(2021, 11, 20): 0, datetime.date(2021, 11, 21): 1, datetime.date(2021, 11, 23): 0}
