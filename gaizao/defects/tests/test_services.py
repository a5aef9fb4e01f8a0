"""Defects as the services see them: the warranty from the acceptance, routing inside and after it, deadlines and
overdue by the platform's clock, confirming and reopening, work not accepted yet, the bulletin's counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from gaizao.defects import services
from gaizao.defects.models import Defect, DefectSettings
from gaizao.defects.tests.conftest import EAST_ACCEPTED, TODAY, ensure_item, photo
from gaizao.feedback.models import Feedback
from gaizao.works.models import Project
from gaizao.works.tests.conftest import make_project

D = datetime.date


def _report(item, home, text="顶层卧室漏雨", **more):
    community = item.plan_item.plan.community
    return services.report(community, item, household=home, text=text, **more)


def test_the_warranty_end_is_computed_from_the_acceptance(roof, pipes, east_project):
    assert services.warranty_end(roof) == D(2024, 10, 18)  # roof waterproofing: 5 years
    assert services.warranty_end(pipes) == D(2021, 10, 18)  # water supply: 2 years
    heating = east_project.items.get(plan_item__item__name="供暖管网改造")
    assert services.warranty_end(heating) == D(2021, 3, 15)  # seasons 2019-20 and 2020-21


def test_a_corrected_acceptance_moves_every_end(roof, pipes, east_project, bureau):
    from gaizao.works.acceptance import correct_acceptance

    correct_acceptance(bureau, east_project, day=D(2019, 12, 2), participants="住建局\n居民代表", checklist={},
                       reason="验收日期录入有误")
    east_project.refresh_from_db()
    assert east_project.acceptance.date == D(2019, 12, 2)
    assert services.warranty_end(roof) == D(2024, 12, 2)
    assert services.warranty_end(pipes) == D(2021, 12, 2)
    heating = east_project.items.get(plan_item__item__name="供暖管网改造")
    assert services.warranty_end(heating) == D(2022, 3, 15)  # the 2019-20 season had begun: not counted
    # The water pipes are under warranty again on the platform's day: a leak now goes to the contractor.
    pipes.project.refresh_from_db()
    assert services.route(pipes, TODAY).responsible == Defect.Responsible.CONTRACTOR


def test_within_the_warranty_the_contractor_gets_it_with_a_deadline(roof, homes, builder):
    defect = _report(roof, homes[0], location="1号楼1单元601卧室").defect
    assert (defect.responsible, defect.company) == (Defect.Responsible.CONTRACTOR, builder)
    assert defect.deadline == TODAY + datetime.timedelta(days=7)
    assert timezone.localdate(defect.created_at) == TODAY
    assert defect.events.get().deadline == defect.deadline
    assert services.responsible_name(defect) == builder.name


def test_the_deadline_is_the_bureaus_setting(roof, homes, bureau):
    services.save_settings(bureau, 3)
    assert _report(roof, homes[0]).defect.deadline == TODAY + datetime.timedelta(days=3)


def test_only_the_bureau_changes_the_setting_and_within_bounds(officer, bureau, db):
    with pytest.raises(PermissionDenied):
        services.save_settings(officer, 3)
    with pytest.raises(ValidationError):
        services.save_settings(bureau, 0)
    assert DefectSettings.current().response_days == 7


def test_after_the_warranty_the_management_body_gets_it(pipes, homes, east_community):
    from gaizao.aftercare.models import ManagementArrangement

    ManagementArrangement.objects.create(
        community=east_community, kind=ManagementArrangement.Kind.PROPERTY_COMPANY,
        body_name="运城康居物业服务有限公司", contact_name="李经理", contact_phone="13900001111",
        since=D(2020, 1, 1), fee_per_m2_month="0.45")
    defect = _report(pipes, homes[0], text="楼下供水管漏水").defect
    assert defect.responsible == Defect.Responsible.MANAGEMENT and defect.company is None
    assert defect.management_name == "运城康居物业服务有限公司"
    assert services.management_body_for(east_community).body_name == "运城康居物业服务有限公司"


def test_after_the_warranty_without_a_management_body_the_sub_district_gets_it(pipes, homes, dongcheng):
    defect = _report(pipes, homes[0]).defect
    assert defect.responsible == Defect.Responsible.SUBDISTRICT
    assert services.responsible_name(defect) == dongcheng.name


def test_the_warranty_end_day_is_still_within(pipes, homes, settings):
    settings.GAIZAO_TODAY = D(2021, 10, 18)
    assert _report(pipes, homes[0]).defect.responsible == Defect.Responsible.CONTRACTOR
    settings.GAIZAO_TODAY = D(2021, 10, 19)
    assert _report(pipes, homes[0]).defect.responsible == Defect.Responsible.SUBDISTRICT


def test_work_not_accepted_yet_becomes_construction_feedback(east_community, builder, homes, today):
    project = make_project("P2021", east_community, builder)
    project.actual_start = D(2021, 5, 1)
    project.save()
    item = project.items.order_by("pk").first()
    outcome = services.report(east_community, item, household=homes[0], text="外墙保温脱落", location="北墙",
                              photos=[photo()])
    assert outcome.defect is None and not Defect.objects.exists()
    feedback = outcome.feedback
    assert (feedback.category, feedback.responsible, feedback.company) == ("quality", "contractor", builder)
    assert "外墙保温脱落" in feedback.text and item.plan_item.item.name in feedback.text and feedback.photo
    with translation.override("en"):
        assert "not been accepted yet" in services.not_accepted_message()


def test_an_item_of_another_community_is_refused(roof, west_project, homes):
    other = west_project.items.first()
    with pytest.raises(ValidationError):
        services.report(roof.plan_item.plan.community, other, household=homes[0], text="漏水")


def test_a_file_that_is_not_a_photo_is_refused(roof, homes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        _report(roof, homes[0], photos=[SimpleUploadedFile("leak.jpg", b"not an image", content_type="image/jpeg")])
    assert not Defect.objects.exists()


def test_overdue_by_the_platforms_clock(roof, homes, settings):
    defect = _report(roof, homes[0]).defect
    assert not services.is_overdue(defect)
    settings.GAIZAO_TODAY = TODAY + datetime.timedelta(days=7)
    assert not services.is_overdue(defect)  # the deadline day itself
    settings.GAIZAO_TODAY = TODAY + datetime.timedelta(days=8)
    assert services.is_overdue(defect)


def test_the_contractor_answers_with_photos_and_the_resident_confirms(roof, homes, contractor):
    defect = _report(roof, homes[0]).defect
    defect = services.answer(contractor, defect, "已重做防水层", [photo("fixed.jpg", "JPEG")])
    assert defect.status == Defect.Status.ANSWERED and defect.photos.count() == 1
    assert not services.is_overdue(defect, TODAY + datetime.timedelta(days=30))
    with pytest.raises(PermissionDenied):
        services.confirm(defect, True, household=homes[1])
    defect = services.confirm(defect, True, household=homes[0])
    assert defect.status == Defect.Status.CLOSED and defect.closed_at
    with pytest.raises(ValidationError):
        services.answer(contractor, defect, "再看看")


def test_the_resident_reopens_with_a_reason_and_a_new_deadline(roof, homes, contractor, settings):
    defect = _report(roof, homes[0]).defect
    services.answer(contractor, defect, "已处理")
    with pytest.raises(ValidationError):
        services.confirm(defect, False, "", household=homes[0])
    settings.GAIZAO_TODAY = TODAY + datetime.timedelta(days=3)
    defect = services.confirm(defect, False, "下雨还漏", household=homes[0])
    assert defect.status == Defect.Status.OPEN
    assert defect.deadline == TODAY + datetime.timedelta(days=10)
    assert [e.kind for e in defect.events.all()] == ["reported", "answered", "reopened"]


def test_a_further_answer_adds_photos_without_moving_the_time_answered(roof, homes, contractor, settings):
    defect = services.answer(contractor, _report(roof, homes[0]).defect, "已处理")
    first = defect.answered_at
    settings.GAIZAO_TODAY = TODAY + datetime.timedelta(days=9)
    defect = services.answer(contractor, defect, "补充照片", [photo("more.jpg", "JPEG")])
    defect.refresh_from_db()
    assert defect.answered_at == first and defect.status == Defect.Status.ANSWERED
    assert defect.events.filter(kind="answered").count() == 2 and defect.photos.count() == 1
    assert not services.is_overdue(defect, TODAY + datetime.timedelta(days=30))


def test_nothing_to_confirm_before_an_answer(roof, homes):
    defect = _report(roof, homes[0]).defect
    with pytest.raises(ValidationError):
        services.confirm(defect, True, household=homes[0])


def test_only_the_contractor_it_went_to_answers(roof, homes, rival_user, officer, contractor, bureau):
    defect = _report(roof, homes[0]).defect
    for outsider in (rival_user, officer):
        with pytest.raises(PermissionDenied):
            services.answer(outsider, defect, "不是我们的")
    services.answer(bureau, defect, "住建局已督促")


def test_an_officer_reports_and_confirms_for_their_sub_district_only(roof, officer, west_officer, contractor):
    community = roof.plan_item.plan.community
    with pytest.raises(PermissionDenied):
        services.report(community, roof, text="屋面起鼓", entered_by=west_officer)
    defect = services.report(community, roof, text="屋面起鼓", entered_by=officer).defect
    services.answer(contractor, defect, "已修复")
    with pytest.raises(PermissionDenied):
        services.confirm(defect, True, actor=west_officer)
    assert services.confirm(defect, True, actor=officer).status == Defect.Status.CLOSED


def test_a_household_has_a_daily_limit(roof, homes):
    for _n in range(services.DAILY_LIMIT):
        _report(roof, homes[0])
    with pytest.raises(ValidationError):
        _report(roof, homes[0])


def test_the_bulletin_counts_open_and_overdue_by_sub_district_and_contractor(roof, homes, west_project, west_home,
                                                                           contractor, settings, dongcheng, xicheng):
    west_item = west_project.items.order_by("pk").first()
    settings.GAIZAO_TODAY = D(2021, 11, 10)
    late = _report(roof, homes[0]).defect  # due 17 November, never answered
    answered = _report(roof, homes[1]).defect
    services.answer(contractor, answered, "已修")
    services.report(west_item.plan_item.plan.community, west_item, household=west_home, text="西城漏水")
    settings.GAIZAO_TODAY = TODAY
    _report(roof, homes[1], text="今天报的")
    counts = services.defects_by_subdistrict(TODAY)
    assert counts["total"] == {"open": 4, "overdue": 2, "within": 4}  # the west one is overdue too
    rows = {r["name"]: (r["open"], r["overdue"]) for r in counts["rows"]}
    assert rows == {dongcheng.name: (3, 1), xicheng.name: (1, 1)}
    by_company = {r["name"]: (r["open"], r["overdue"]) for r in services.defects_by_contractor(TODAY)["rows"]}
    assert by_company == {"中建交通建设集团": (3, 1), "运城市第二建筑工程有限公司": (1, 1)}
    # On 12 November nothing was overdue yet, and today's report did not exist.
    assert services.defects_by_subdistrict(D(2021, 11, 12))["total"] == {"open": 3, "overdue": 0, "within": 3}
    # Scoped to 东城's project, 西城 is not counted.
    scoped = services.defects_by_subdistrict(TODAY, Project.objects.filter(pk=roof.project_id))
    assert scoped["total"]["open"] == 3
    assert late.pk in Defect.objects.values_list("pk", flat=True)


def test_a_closed_defect_leaves_the_counts_from_its_day(roof, homes, contractor, settings):
    defect = _report(roof, homes[0]).defect
    services.answer(contractor, defect, "已修")
    settings.GAIZAO_TODAY = TODAY + datetime.timedelta(days=2)
    services.confirm(defect, True, household=homes[0])
    assert services.defects_by_subdistrict(TODAY)["total"]["open"] == 1
    assert services.defects_by_subdistrict(TODAY + datetime.timedelta(days=2))["total"]["open"] == 0


def test_the_report_form_lists_accepted_items_first_in_plain_words(east_community, east_project, builder, today):
    make_project("P2021", east_community, builder)
    ensure_item(east_community, east_project, "供水管网改造")
    items = services.community_items(east_community)
    accepted = [i for i in items if i.accepted_on]
    assert items[:len(accepted)] == accepted and len(accepted) < len(items)
    with translation.override("en"):
        roof = next(i for i in items if i.plan_item.item.name == "屋面防水" and i.accepted_on)
        assert services.item_label(roof, TODAY) == "屋面防水 (accepted 2019, under warranty until 18 Oct 2024)"
        pipes = next(i for i in items if i.plan_item.item.name == "供水管网改造")
        assert "warranty ended" in services.item_label(pipes, TODAY)
        later = next(i for i in items if not i.accepted_on)
        assert services.item_label(later, TODAY).endswith("(not accepted yet)")
    assert Feedback.objects.count() == 0 and EAST_ACCEPTED.year == 2019


def test_over_several_districts_a_subdistrict_is_named_with_its_district(roof, homes, west_project, west_home,
                                                                        settings, xicheng, district):
    from gaizao.regions.models import Area

    west_item = west_project.items.order_by("pk").first()
    _report(roof, homes[0])
    services.report(west_item.plan_item.plan.community, west_item, household=west_home, text="西城漏水")
    assert {r["name"] for r in services.defects_by_subdistrict(TODAY)["rows"]} == {"东城办事处", "西城办事处"}
    # 西城 moves to another district (永济市): the same two rows now say whose they are.
    xicheng.parent = Area.objects.create(name="永济市", code="140881", level=Area.Level.DISTRICT,
                                         parent=district.parent)
    xicheng.save()
    assert {r["name"] for r in services.defects_by_subdistrict(TODAY)["rows"]} == {"盐湖区 东城办事处",
                                                                                "永济市 西城办事处"}
