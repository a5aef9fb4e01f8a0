"""The demo's defects on Yanhu's earlier renovations: inside and outside the warranty, exactly one overdue, one
answered with a photo, one confirmed; the same on every load; shown to the officer, the contractor and in the
bulletin."""

import datetime

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gaizao.accounts.models import User
from gaizao.defects import services
from gaizao.defects.models import Defect

DAY = datetime.date(2021, 11, 25)


def _state():
    return list(Defect.objects.order_by("pk").values_list("community__name", "project_item__plan_item__item__code",
                                                          "responsible", "status", "deadline", "created_at"))


def test_the_demo_has_defects_inside_and_outside_the_warranty(yanhu_demo):
    defects = list(Defect.objects.select_related("community__subdistrict", "company").order_by("pk"))
    assert len(defects) == 5 and "热电厂宿舍" in yanhu_demo and "/defects/r/" in yanhu_demo  # printed by load_demo
    assert [services.is_overdue(d, DAY) for d in defects].count(True) == 1
    overdue = next(d for d in defects if services.is_overdue(d, DAY))
    assert overdue.community.name == "热电厂宿舍" and overdue.responsible == Defect.Responsible.CONTRACTOR
    answered = [d for d in defects if d.status == Defect.Status.ANSWERED]
    assert len(answered) == 1 and answered[0].photos.filter(event__kind="answered").exists()
    assert [d.status for d in defects].count(Defect.Status.CLOSED) == 1
    after = [d for d in defects if d.responsible == Defect.Responsible.MANAGEMENT]
    assert len(after) == 1 and services.warranty_end(after[0].project_item) < DAY
    assert services.responsible_name(after[0]) == "运城市盐湖区城市建设投资开发有限公司物业分公司"
    assert all(d.community.subdistrict.name == "东城办事处" for d in defects)
    counts = services.defects_by_subdistrict(DAY)
    assert counts["total"] == {"open": 4, "overdue": 1, "within": 3}
    # The 2021 bulletin still measures the newspaper's 40 projects: the earlier renovations are not counted.
    from gaizao.works.measures import measures_on

    assert measures_on(DAY).district["projects"] == 40


def test_loading_again_changes_nothing(yanhu_demo):
    before = _state()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert _state() == before


def test_the_officer_sees_the_escalation_and_the_contractor_its_defects(yanhu_demo):
    officer = Client()
    officer.force_login(User.objects.get(username="dongcheng"))
    page = officer.get(reverse("defects:list")).content.decode()
    assert 'id="escalated"' in page
    contractor = Client()
    contractor.force_login(User.objects.get(username="contractor"))
    page = contractor.get(reverse("defects:list")).content.decode()
    mine = Defect.objects.filter(company__name="中建交通建设集团")
    assert all(f'data-defect="{d.pk}"' in page for d in mine)
    assert not any(f'data-defect="{d.pk}"' in page for d in Defect.objects.exclude(company__name="中建交通建设集团"))
    bulletin = officer.get(reverse("works:bulletin")).content.decode()
    assert 'id="defects-by-subdistrict"' in bulletin
