"""The acceptance every later date counts from, made final (#18): dated within the works, recorded once,
changed only by a correction with a reason that keeps the first record in its history."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.core.models import AuditEntry
from gaizao.works import acceptance as rules
from gaizao.works import services
from gaizao.works.models import Acceptance, AcceptanceCorrection, Project
from gaizao.works.tests.conftest import item

TODAY = datetime.date(2021, 11, 25)  # the demo's day
LAST_REPORT = datetime.date(2021, 11, 20)


@pytest.fixture(autouse=True)
def platform_day(settings):
    settings.GAIZAO_TODAY = TODAY


@pytest.fixture
def worked(project, contractor):
    """P1 started on 1 June and last reported on 20 November; every item short, so each has a reason."""
    windows = item(project, "塑钢窗更换")
    services.record_progress(contractor, project, datetime.date(2021, 6, 1), {windows.pk: Decimal(30)})
    services.record_progress(contractor, project, LAST_REPORT, {windows.pk: Decimal(12)})
    project.refresh_from_db()
    return project


def reasons(project):
    return {i.pk: "居民议事会决定不做" for i in project.items.all()}


def accept(actor, project, day, participants="住建局 王科长\n居民代表 张立荣"):
    return rules.accept(actor, project, day=day, participants=participants, checklist={"residents": True},
                        shortfall_reasons=reasons(project))


def form(project, day, participants="住建局 王科长\n居民代表 张立荣", **extra):
    return {"date": day, "participants": participants, "checks": ["residents"],
            **{f"reason_{i.pk}": "居民议事会决定不做" for i in project.items.all()}, **extra}


@pytest.fixture
def leader(db):
    return ensure_user("leader", "x-pass-2021", User.Role.LEADER)


# -- dated within the works --------------------------------------------------------------------------------------

def test_an_acceptance_after_the_platforms_today_is_refused(worked, bureau):
    with pytest.raises(ValidationError) as refused:
        accept(bureau, worked, datetime.date(2021, 12, 31))
    assert "2021年11月20日" in str(refused.value) and "2021年11月25日" in str(refused.value)
    assert not Acceptance.objects.exists()
    assert Project.objects.get(pk=worked.pk).status == Project.Status.UNDER_CONSTRUCTION


def test_an_acceptance_before_the_project_started_is_refused(worked, bureau):
    with pytest.raises(ValidationError):
        accept(bureau, worked, datetime.date(2019, 1, 1))
    assert not Acceptance.objects.exists()


def test_an_acceptance_before_the_last_progress_report_is_refused(worked, bureau):
    with pytest.raises(ValidationError) as refused:
        accept(bureau, worked, LAST_REPORT - datetime.timedelta(days=1))
    assert "2021年11月20日" in str(refused.value)
    accept(bureau, worked, LAST_REPORT)
    assert Acceptance.objects.get().date == LAST_REPORT


def test_without_reports_the_planned_start_is_the_earliest_day(project, bureau):
    with pytest.raises(ValidationError) as refused:
        accept(bureau, project, project.planned_start - datetime.timedelta(days=1))
    assert "2021年5月1日" in str(refused.value)
    accept(bureau, project, TODAY)
    assert Acceptance.objects.get().date == TODAY


def test_a_project_that_starts_after_today_cannot_be_accepted(project, bureau):
    Project.objects.filter(pk=project.pk).update(planned_start=datetime.date(2022, 1, 10),
                                                  planned_finish=datetime.date(2022, 9, 30))
    project.refresh_from_db()
    window = rules.date_window(project)
    assert not window.possible and "2022年1月10日" in window.sentence()
    with pytest.raises(ValidationError):
        accept(bureau, project, TODAY)


def test_the_page_refuses_a_date_outside_the_works_and_keeps_what_was_typed(worked, bureau, client):
    client.force_login(bureau)
    url = reverse("works:acceptance", args=[worked.code])
    for day in ("2021-12-31", "2019-01-01"):
        response = client.post(url, form(worked, day, participants="监理 宁晓峰\n居民代表 张立荣",
                                         notes="外墙保温抽检合格"))
        page = response.content.decode()
        assert response.status_code == 200 and 'id="acceptance-errors"' in page
        assert "2021年11月20日" in page and "2021年11月25日" in page
        assert f'value="{day}"' in page and "监理 宁晓峰" in page and "外墙保温抽检合格" in page
        assert "居民议事会决定不做" in page  # the shortfall reasons typed, kept
    assert not Acceptance.objects.exists()
    page = client.get(url).content.decode()
    assert 'min="2021-11-20"' in page and 'max="2021-11-25"' in page  # the date picker's bounds


def test_the_demo_day_is_a_valid_acceptance_day(worked, bureau, client):
    client.force_login(bureau)
    response = client.post(reverse("works:acceptance", args=[worked.code]), form(worked, "2021-11-25"))
    assert response.status_code == 302
    record = Acceptance.objects.get()
    assert record.date == TODAY and record.recorded_by == bureau and record.recorded_at is not None
    assert AuditEntry.objects.filter(object_type="works.acceptance", action="create").count() == 1


# -- recorded once -----------------------------------------------------------------------------------------------

def test_accepting_twice_keeps_the_first_record(worked, bureau):
    first = accept(bureau, worked, datetime.date(2021, 11, 24))
    with pytest.raises(rules.AlreadyAccepted) as refused:
        accept(bureau, worked, datetime.date(2021, 11, 21), participants="x")
    assert "2021年11月24日" in str(refused.value)
    record = Acceptance.objects.get()
    assert record.pk == first.pk and record.date == datetime.date(2021, 11, 24) and "张立荣" in record.participants


def test_posting_the_form_again_does_not_overwrite_the_acceptance(worked, bureau, client):
    client.force_login(bureau)
    url = reverse("works:acceptance", args=[worked.code])
    assert client.post(url, form(worked, "2021-11-24")).status_code == 302
    response = client.post(url, form(worked, "2021-11-21", participants="x"), follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "2021年11月24日" in page
    assert 'id="acceptance-record"' in page and 'id="correct-acceptance"' in page
    assert "acceptance-form" not in page  # read only: no form to post again
    record = Acceptance.objects.get()
    assert record.date == datetime.date(2021, 11, 24) and record.participants != "x"
    assert not AcceptanceCorrection.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_first_acceptances_at_the_same_moment_keep_one(east_community, builder, contractor, bureau, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race is real on PostgreSQL")
    from gaizao.works.tests.conftest import make_project

    settings.GAIZAO_TODAY = TODAY
    project = make_project("PC", east_community, builder)
    start = threading.Barrier(6)
    outcomes = []

    def attempt(n):
        from django.db import connections

        try:
            start.wait()
            accept(bureau, project, TODAY - datetime.timedelta(days=n), participants=f"第{n}次")
            outcomes.append("accepted")
        except rules.AlreadyAccepted:
            outcomes.append("refused")
        except Exception as error:  # anything else (an IntegrityError, a deadlock) fails the test below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted"] + ["refused"] * 5
    assert Acceptance.objects.filter(project=project).count() == 1


# -- corrected with a reason -------------------------------------------------------------------------------------

def test_a_correction_keeps_the_first_record_in_the_history(worked, bureau):
    record = accept(bureau, worked, datetime.date(2021, 11, 24))
    rules.correct_acceptance(bureau, worked, day=datetime.date(2021, 11, 22),
                             participants="住建局 王科长\n居民代表 张丽荣",
                             checklist={"residents": True, "quality": True}, notes="",
                             reason="验收纪要记载的日期为11月22日，录入有误")
    record.refresh_from_db()
    assert record.date == datetime.date(2021, 11, 22)  # what every later date counts from
    assert Project.objects.get(pk=worked.pk).acceptance.date == datetime.date(2021, 11, 22)
    first = record.first_record()
    assert first["date"] == datetime.date(2021, 11, 24) and "张立荣" in first["participants"]
    [correction] = record.corrections.all()
    assert (correction.previous_date, correction.date) == (datetime.date(2021, 11, 24), datetime.date(2021, 11, 22))
    assert correction.corrected_by == bureau and correction.reason.startswith("验收纪要")
    assert correction.checklist["quality"] and not correction.previous_checklist["quality"]
    entry = AuditEntry.objects.get(object_type="works.acceptance", action="update")
    assert entry.reason.startswith("验收纪要") and entry.before["date"] == "2021-11-24"


def test_every_correction_is_kept_and_the_first_record_stays_the_first(worked, bureau):
    record = accept(bureau, worked, datetime.date(2021, 11, 24))
    for day, reason in ((datetime.date(2021, 11, 22), "日期录入有误"), (datetime.date(2021, 11, 23), "以签字页为准")):
        rules.correct_acceptance(bureau, worked, day=day, participants=record.participants, checklist={},
                                 reason=reason)
    record.refresh_from_db()
    assert record.date == datetime.date(2021, 11, 23)
    assert record.first_record()["date"] == datetime.date(2021, 11, 24)
    assert [c.reason for c in rules.history(record)] == ["日期录入有误", "以签字页为准"]


def test_a_correction_without_a_reason_is_refused(worked, bureau):
    accept(bureau, worked, datetime.date(2021, 11, 24))
    for reason in ("", "   "):
        with pytest.raises(ValidationError):
            rules.correct_acceptance(bureau, worked, day=datetime.date(2021, 11, 22), participants="x",
                                     checklist={}, reason=reason)
    assert Acceptance.objects.get().date == datetime.date(2021, 11, 24)
    assert not AcceptanceCorrection.objects.exists()


def test_a_correction_row_needs_a_reason_in_the_database_too(worked, bureau):
    record = accept(bureau, worked, datetime.date(2021, 11, 24))
    row = AcceptanceCorrection(acceptance=record, previous_date=record.date, previous_participants="a",
                               date=record.date, participants="b", reason="")
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert "reason" in str(refused.value).lower() or "原因" in str(refused.value)


def test_a_correction_follows_the_same_date_rules(worked, bureau):
    accept(bureau, worked, datetime.date(2021, 11, 24))
    for day in (datetime.date(2021, 12, 31), datetime.date(2019, 1, 1), LAST_REPORT - datetime.timedelta(days=1)):
        with pytest.raises(ValidationError):
            rules.correct_acceptance(bureau, worked, day=day, participants="x", checklist={}, reason="日期有误")
    assert Acceptance.objects.get().date == datetime.date(2021, 11, 24)


def test_a_correction_that_changes_nothing_is_refused(worked, bureau):
    record = accept(bureau, worked, datetime.date(2021, 11, 24))
    with pytest.raises(ValidationError):
        rules.correct_acceptance(bureau, worked, day=record.date, participants=record.participants,
                                 checklist=record.checklist, notes=record.notes, reason="核对")
    assert not AcceptanceCorrection.objects.exists()


def test_there_is_nothing_to_correct_before_an_acceptance(worked, bureau, client):
    with pytest.raises(ValidationError):
        rules.correct_acceptance(bureau, worked, day=TODAY, participants="x", checklist={}, reason="r")
    client.force_login(bureau)
    response = client.get(reverse("works:acceptance_correct", args=[worked.code]))
    assert response.status_code == 302 and response.url == reverse("works:acceptance", args=[worked.code])


def test_the_finish_date_filled_in_by_the_acceptance_moves_with_a_correction(worked, bureau):
    accept(bureau, worked, datetime.date(2021, 11, 24))
    assert Project.objects.get(pk=worked.pk).actual_finish == datetime.date(2021, 11, 24)
    rules.correct_acceptance(bureau, worked, day=datetime.date(2021, 11, 22), participants="x", checklist={},
                             reason="日期录入有误")
    assert Project.objects.get(pk=worked.pk).actual_finish == datetime.date(2021, 11, 22)


def test_only_bureau_staff_correct_an_acceptance(worked, bureau, officer, contractor, leader, client):
    accept(bureau, worked, datetime.date(2021, 11, 24))
    for user in (officer, contractor, leader):
        with pytest.raises(PermissionDenied):
            rules.correct_acceptance(user, worked, day=LAST_REPORT, participants="x", checklist={}, reason="r")
        client.force_login(user)
        url = reverse("works:acceptance_correct", args=[worked.code])
        assert client.get(url).status_code in (403, 404)
        data = form(worked, "2021-11-21", participants="x", reason="改")
        assert client.post(url, data).status_code in (403, 404)
    assert Acceptance.objects.get().date == datetime.date(2021, 11, 24)
    assert not AcceptanceCorrection.objects.exists()


def test_the_correction_page_refuses_a_missing_reason_and_keeps_what_was_typed(worked, bureau, client):
    accept(bureau, worked, datetime.date(2021, 11, 24))
    client.force_login(bureau)
    url = reverse("works:acceptance_correct", args=[worked.code])
    page = client.get(url).content.decode()
    assert 'value="2021-11-24"' in page and "张立荣" in page  # filled in with the current record
    response = client.post(url, form(worked, "2021-11-22", participants="居民代表 张丽荣", reason=""))
    page = response.content.decode()
    assert response.status_code == 200 and 'value="2021-11-22"' in page and "张丽荣" in page
    assert not AcceptanceCorrection.objects.exists()
    response = client.post(url, form(worked, "2021-12-31", participants="居民代表 张丽荣", reason="录入有误"))
    page = response.content.decode()
    assert response.status_code == 200 and 'id="correction-errors"' in page and "2021年11月25日" in page
    assert 'value="2021-12-31"' in page and "录入有误" in page
    assert Acceptance.objects.get().date == datetime.date(2021, 11, 24)


def test_the_correction_page_records_it_and_the_record_shows_the_history(worked, bureau, client):
    accept(bureau, worked, datetime.date(2021, 11, 24))
    client.force_login(bureau)
    response = client.post(reverse("works:acceptance_correct", args=[worked.code]),
                           form(worked, "2021-11-22", participants="住建局 王科长\n居民代表 张丽荣",
                                reason="验收纪要记载的日期为11月22日"))
    assert response.status_code == 302 and response.url == reverse("works:acceptance", args=[worked.code])
    page = client.get(response.url).content.decode()
    assert 'id="first-record"' in page and 'id="acceptance-history"' in page
    assert "验收纪要记载的日期为11月22日" in page and "2021年11月24日" in page and "2021年11月22日" in page
    assert "bureau" in page  # who corrected it
    detail = client.get(reverse("works:detail", args=[worked.code])).content.decode()
    assert 'id="acceptance-corrected"' in detail and "2021年11月22日" in detail


def test_the_project_page_shows_the_correction_to_those_who_read_it(worked, bureau, leader, client):
    accept(bureau, worked, datetime.date(2021, 11, 24))
    rules.correct_acceptance(bureau, worked, day=datetime.date(2021, 11, 22), participants="x", checklist={},
                             reason="日期录入有误")
    client.force_login(leader)
    page = client.get(reverse("works:detail", args=[worked.code])).content.decode()
    assert "日期录入有误" in page and "2021年11月24日" in page
    assert 'id="acceptance-record-link"' not in page


def test_an_acceptance_recorded_before_these_rules_can_be_corrected(worked, bureau):
    """Older rows have an empty checklist and no recorder's time; a correction takes them as they are."""
    record = Acceptance.objects.create(project=worked, date=LAST_REPORT, participants="居民代表")
    rules.correct_acceptance(bureau, worked, day=LAST_REPORT, participants="住建局\n居民代表", checklist={},
                             reason="参加人员漏记")
    record.refresh_from_db()
    assert record.participants == "住建局\n居民代表" and record.first_record()["participants"] == "居民代表"
