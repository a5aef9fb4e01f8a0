"""Long-term management: who records an arrangement, its dates, replacing and correcting it, the overdue flag, the
shares by sub-district on a day, and who sees the contact in full."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from conftest import make_community
from gaizao.aftercare import services
from gaizao.aftercare.models import AftercareSettings, ManagementArrangement
from gaizao.aftercare.tests.conftest import DAY, EAST_ACCEPTED, WEST_ACCEPTED, accept, project_for, values
from gaizao.core.models import AuditEntry


def test_bureau_records_an_arrangement_and_the_history_masks_the_phone(east_project, east_community, bureau):
    arrangement = services.record_arrangement(bureau, east_community, values())
    assert arrangement.is_current and arrangement.recorded_by == bureau
    entry = AuditEntry.objects.get(object_type="aftercare.managementarrangement", action="create")
    assert entry.parent_id == str(east_community.pk)
    assert entry.after["contact_phone"] == "139****5678" and "13912345678" not in str(entry.after)


@pytest.mark.parametrize("since, words", [
    (DAY + datetime.timedelta(days=1), "future"),
    (EAST_ACCEPTED - datetime.timedelta(days=1), "before the acceptance"),
])
def test_an_arrangement_is_dated_between_the_acceptance_and_today(east_project, east_community, bureau, since,
                                                                  words):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.record_arrangement(bureau, east_community, values(since=since))
    assert words in str(refused.value)
    assert not ManagementArrangement.objects.exists()


def test_a_community_not_yet_accepted_has_no_arrangement(east_community, bureau, today):
    with pytest.raises(ValidationError, match="验收|accepted"):
        services.record_arrangement(bureau, east_community, values())


def test_the_accepted_day_itself_and_today_are_allowed(east_project, east_community, bureau):
    first = services.record_arrangement(bureau, east_community, values(since=EAST_ACCEPTED))
    second = services.record_arrangement(bureau, east_community, values(since=DAY, kind="self_management"),
                                         reason="物业撤场，居民自管")
    assert (first.since, second.since) == (EAST_ACCEPTED, DAY)


def test_a_new_arrangement_replaces_the_current_one_and_keeps_it(east_project, east_community, bureau):
    first = services.record_arrangement(bureau, east_community, values())
    with pytest.raises(ValidationError, match="reason|原因"):
        services.record_arrangement(bureau, east_community, values(since=datetime.date(2021, 10, 1)))
    with pytest.raises(ValidationError):
        services.record_arrangement(bureau, east_community, values(since=first.since), reason="换物业")
    second = services.record_arrangement(bureau, east_community,
                                         values(since=datetime.date(2021, 10, 1), kind="state_platform",
                                                body_name="盐湖区城投物业"), reason="原物业合同到期")
    first.refresh_from_db()
    assert first.ended_on == datetime.date(2021, 10, 1) and not first.is_current
    assert second.is_current and second.reason == "原物业合同到期"
    assert services.current_arrangement(east_community) == second
    assert east_community.management_arrangements.count() == 2


def test_a_correction_fixes_the_current_one_in_place(east_project, east_community, bureau):
    arrangement = services.record_arrangement(bureau, east_community, values())
    services.correct_arrangement(bureau, arrangement, values(contact_phone="13700001111"), reason="电话变更")
    arrangement.refresh_from_db()
    assert arrangement.contact_phone == "13700001111"
    assert east_community.management_arrangements.count() == 1
    entry = AuditEntry.objects.get(object_type="aftercare.managementarrangement", action="update")
    assert (entry.before["contact_phone"], entry.after["contact_phone"], entry.reason) == (
        "139****5678", "137****1111", "电话变更")


def test_only_the_current_arrangement_can_be_corrected(east_project, east_community, bureau):
    first = services.record_arrangement(bureau, east_community, values())
    services.record_arrangement(bureau, east_community, values(since=datetime.date(2021, 9, 1)), reason="换物业")
    first.refresh_from_db()
    with pytest.raises(ValidationError):
        services.correct_arrangement(bureau, first, values(body_name="改名"))


def test_a_fund_balance_needs_a_fund_and_the_database_says_so_too(east_project, east_community, bureau):
    saved = services.record_arrangement(bureau, east_community, values(has_maintenance_fund=False))
    assert saved.fund_balance is None  # the service drops a balance typed without a fund
    with pytest.raises(IntegrityError), transaction.atomic():
        ManagementArrangement.objects.filter(pk=saved.pk).update(fund_balance=Decimal("10"))


@pytest.mark.parametrize("field, value", [("collection_rate", Decimal("101")), ("fee_per_m2_month", Decimal("-1")),
                                          ("fund_balance", Decimal("-5"))])
def test_out_of_range_figures_are_refused(east_project, east_community, bureau, field, value):
    with pytest.raises(ValidationError):
        services.record_arrangement(bureau, east_community, values(**{field: value}))
    assert not ManagementArrangement.objects.exists()


def test_one_current_arrangement_per_community_in_the_database(east_project, east_community, bureau):
    services.record_arrangement(bureau, east_community, values())
    with pytest.raises(IntegrityError), transaction.atomic():
        ManagementArrangement.objects.create(community=east_community, **values())


def test_an_officer_records_only_in_their_own_sub_district(east_project, west_project, east_community,
                                                           west_community, officer, leader):
    services.record_arrangement(officer, east_community, values())
    with pytest.raises(PermissionDenied):
        services.record_arrangement(officer, west_community, values(since=datetime.date(2021, 10, 10)))
    with pytest.raises(PermissionDenied):
        services.record_arrangement(leader, west_community, values(since=datetime.date(2021, 10, 10)))
    assert not west_community.management_arrangements.exists()


def test_the_contact_is_masked_for_those_who_do_not_need_it(east_project, east_community, bureau, officer, leader,
                                                            west_officer):
    arrangement = services.record_arrangement(bureau, east_community, values())
    assert services.contact_for(bureau, arrangement) == ("王建国", "13912345678")
    assert services.contact_for(officer, arrangement) == ("王建国", "13912345678")
    assert services.contact_for(leader, arrangement) == ("王**", "139****5678")
    assert services.contact_for(west_officer, arrangement) == ("王**", "139****5678")


def test_a_community_is_flagged_once_accepted_longer_than_the_setting(east_project, east_community, bureau, settings):
    # Accepted on 1 June: 90 days later (30 August) it is not yet flagged, the day after it is.
    settings.GAIZAO_TODAY = EAST_ACCEPTED + datetime.timedelta(days=90)
    assert services.management_by_subdistrict(settings.GAIZAO_TODAY)["flagged"] == []
    settings.GAIZAO_TODAY = EAST_ACCEPTED + datetime.timedelta(days=91)
    flagged = services.management_by_subdistrict(settings.GAIZAO_TODAY)["flagged"]
    assert [(f["code"], f["days"]) for f in flagged] == [("DC001", 91)]
    AftercareSettings.objects.create(pk=AftercareSettings.ONLY, overdue_days=120)
    assert services.management_by_subdistrict(settings.GAIZAO_TODAY)["flagged"] == []


def test_an_arrangement_clears_the_flag_from_its_date(east_project, east_community, bureau):
    services.record_arrangement(bureau, east_community, values(since=datetime.date(2021, 11, 1)))
    before = services.management_by_subdistrict(datetime.date(2021, 10, 31))
    after = services.management_by_subdistrict(datetime.date(2021, 11, 1))
    assert (before["total"].arranged, before["total"].overdue) == (0, 1)
    assert (after["total"].arranged, after["total"].overdue) == (1, 0)


def test_shares_by_sub_district_add_up_as_of_the_day(east_project, west_project, east_community, west_community,
                                                     bureau, dongcheng, builder):
    other = make_community(dongcheng, "DC002", "农机家属院")
    accept(project_for("P3", other, builder), datetime.date(2021, 11, 20))
    services.record_arrangement(bureau, east_community, values())
    figures = services.management_by_subdistrict(DAY)
    rows = {s.name: (s.accepted, s.arranged, s.overdue) for s in figures["subdistricts"]}
    assert rows == {"东城办事处": (2, 1, 0), "西城办事处": (1, 0, 0)}
    total = figures["total"]
    assert (total.accepted, total.arranged, total.overdue) == (3, 1, 0)
    assert sum(s.accepted for s in figures["subdistricts"]) == total.accepted
    assert figures["subdistricts"][0].name == "东城办事处" and figures["subdistricts"][0].share == 0.5
    # On an earlier day only what was accepted and arranged by then counts.
    early = services.management_by_subdistrict(datetime.date(2021, 6, 30))
    assert (early["total"].accepted, early["total"].arranged) == (1, 0)
    assert services.management_by_subdistrict(datetime.date(2021, 5, 31))["subdistricts"] == []
    assert {k["kind"]: k["count"] for k in figures["kinds"]}["property_company"] == 1


def test_figures_follow_a_corrected_acceptance_date(east_project, east_community):
    acceptance = east_project.acceptance
    assert services.management_by_subdistrict(DAY)["total"].overdue == 1
    acceptance.date = datetime.date(2021, 10, 1)
    acceptance.save()
    figures = services.management_by_subdistrict(DAY)
    assert (figures["total"].accepted, figures["total"].overdue) == (1, 0)
    assert services.accepted_on(east_community) == datetime.date(2021, 10, 1)


def test_the_scope_of_projects_limits_the_communities(east_project, west_project):
    from gaizao.works.models import Project

    figures = services.management_by_subdistrict(DAY, projects=Project.objects.filter(code="P2"))
    assert [s.name for s in figures["subdistricts"]] == ["西城办事处"]
    assert figures["total"].accepted == 1 and WEST_ACCEPTED < DAY


def test_over_several_districts_the_rows_are_the_districts(east_project, west_project, east_community, builder,
                                                          bureau, district):
    from gaizao.regions.models import Area

    yongji = Area.objects.create(name="永济市", code="140881", level=Area.Level.DISTRICT, parent=district.parent)
    namesake = Area.objects.create(name="东城办事处", code="140881001", level=Area.Level.SUBDISTRICT, parent=yongji)
    far = make_community(namesake, "YJ001", "电业局家属院")
    accept(project_for("P9", far, builder), EAST_ACCEPTED)
    services.record_arrangement(bureau, east_community, values())
    figures = services.management_by_subdistrict(DAY)
    assert figures["level"] == "district"
    rows = {row.name: (row.accepted, row.arranged, row.overdue) for row in figures["subdistricts"]}
    assert rows == {"盐湖区": (2, 1, 0), "永济市": (1, 0, 1)}  # 西城 accepted in October: not yet overdue
    assert sum(r[0] for r in rows.values()) == figures["total"].accepted
    # A flagged community's sub-district is named with its district: both districts have a 东城办事处.
    assert [f["subdistrict"] for f in figures["flagged"]] == ["永济市 东城办事处"]
    one = services.management_by_subdistrict(DAY, communities=east_community.subdistrict.communities.all())
    assert one["level"] == "subdistrict" and [row.name for row in one["subdistricts"]] == ["东城办事处"]
