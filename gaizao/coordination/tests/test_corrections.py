"""The bureau corrects a joint-meeting item only as an explicit act with a reason: a new lead department or due
date, or a closed item reopened; each kept in the item's history and the audit log."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gaizao.coordination import services
from gaizao.coordination.models import CoordinationItem
from gaizao.coordination.tests.conftest import DAY
from gaizao.core.models import AuditEntry

Status = CoordinationItem.Status


def test_a_new_due_date_needs_a_reason_and_takes_the_item_out_of_the_overdue_count(bureau, water_item,
                                                                                    water_company):
    assert services.is_overdue(water_item)
    with pytest.raises(ValidationError, match="reason"):
        services.revise_item(bureau, water_item, lead_department=water_company,
                             due_date=datetime.date(2021, 12, 31), reason=" ")
    with pytest.raises(ValidationError, match="Nothing differs"):
        services.revise_item(bureau, water_item, lead_department=water_company, due_date=water_item.due_date,
                             reason="会议决定")
    item = services.revise_item(bureau, water_item, lead_department=water_company,
                                due_date=datetime.date(2021, 12, 31), reason="第四次联席会议同意延期")
    assert not services.is_overdue(item)
    last = item.updates.order_by("pk").last()
    assert last.text == "Due date: 20 Nov 2021 → 31 Dec 2021. Reason: 第四次联席会议同意延期"
    audit = AuditEntry.objects.filter(object_type="coordination.coordinationitem", action="update").last()
    assert audit.reason == "第四次联席会议同意延期" and audit.after["due_date"] == "2021-12-31"


def test_a_revision_obeys_the_items_own_rules(bureau, water_item, power_company):
    with pytest.raises(ValidationError, match="before the meeting"):
        services.revise_item(bureau, water_item, lead_department=power_company,
                             due_date=datetime.date(2021, 10, 1), reason="改由供电公司牵头")
    with pytest.raises(ValidationError, match="lead department"):
        services.revise_item(bureau, water_item, lead_department=None, due_date=water_item.due_date,
                             reason="改由供电公司牵头")
    item = services.revise_item(bureau, water_item, lead_department=power_company, due_date=water_item.due_date,
                                reason="改由供电公司牵头")
    assert item.lead_department == power_company


def test_only_the_bureau_corrects_and_a_closed_item_is_reopened_not_revised(bureau, water, water_item,
                                                                             water_company):
    with pytest.raises(PermissionDenied):
        services.revise_item(water, water_item, lead_department=water_company, due_date=DAY, reason="自行延期")
    closed = services.close_item(water, water_item, evidence="已更换主管 800 米")
    with pytest.raises(ValidationError, match="reopen"):
        services.revise_item(bureau, closed, lead_department=water_company, due_date=DAY, reason="延期")
    with pytest.raises(PermissionDenied):
        services.reopen_item(water, closed, reason="我们自己重开")
    item = services.reopen_item(bureau, closed, reason="现场核查仍有漏水")
    assert item.status == Status.IN_PROGRESS and item.closed_on is None and services.is_overdue(item)
    assert item.updates.order_by("pk").last().text.endswith("现场核查仍有漏水")
    with pytest.raises(ValidationError, match="not closed"):
        services.reopen_item(bureau, item, reason="再开一次")
    # Back with its department, which closes it again with new evidence.
    assert services.close_item(water, item, evidence="已修复漏点").status == Status.DONE


def test_the_page_keeps_what_was_typed_and_refuses_others(client, bureau, water, water_item, power_company):
    url = reverse("coordination:item_correct", args=[water_item.pk])
    client.force_login(water)
    assert client.get(url).status_code == 403
    client.force_login(bureau)
    page = client.get(url)
    assert page.status_code == 200 and 'value="2021-11-20"' in page.content.decode()
    refused = client.post(url, {"correct-lead_department": power_company.pk, "correct-due_date": "2021-12-20",
                                "correct-reason": ""})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'value="2021-12-20"' in body and "reason" in body
    done = client.post(url, {"correct-lead_department": power_company.pk, "correct-due_date": "2021-12-20",
                             "correct-reason": "改由供电公司牵头"})
    assert done.status_code == 302
    water_item.refresh_from_db()
    assert water_item.lead_department == power_company and water_item.due_date == datetime.date(2021, 12, 20)
    assert 'id="correct-link"' in client.get(reverse("coordination:item", args=[water_item.pk])).content.decode()
