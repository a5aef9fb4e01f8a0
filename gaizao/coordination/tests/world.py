"""The joint meeting's part of the security tests' world (tests/security/conftest.py calls `add_to_world`).

A water company (盐湖区供水公司) with a member who logs in ("department"), a power company, and 东城's office on
the joint meeting; a meeting on 2021-11-01 with the water company's item in 东城 (overdue), the power company's
in 西城 (another department's, and another sub-district's), and a closed item of the water company with an
evidence document; each utility's own work in its community, the water company's with a report.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.coordination import services, utility
from gaizao.coordination.models import Department, DepartmentMember

MEETING_DAY = datetime.date(2021, 11, 1)


def add_to_world(w, password: str) -> None:
    w.water_company = Department.objects.create(name="盐湖区供水公司", kind=Department.Kind.UTILITY,
                                                service=Department.Service.WATER)
    w.power_company = Department.objects.create(name="国网运城供电公司", kind=Department.Kind.UTILITY,
                                                service=Department.Service.POWER)
    w.office = Department.objects.create(name="东城办事处", kind=Department.Kind.SUBDISTRICT, subdistrict=w.dongcheng)
    w.department = ensure_user("water", password, User.Role.DEPARTMENT_MEMBER, full_name="供水公司")
    DepartmentMember.objects.create(user=w.department, department=w.water_company)

    w.meeting = services.record_meeting(w.bureau, date=MEETING_DAY, title="第三次联席会议",
                                        departments=[w.water_company, w.power_company, w.office])
    w.coordination_item = services.add_item(w.bureau, w.meeting, description="更换供水主管",
                                            lead_department=w.water_company, due_date=datetime.date(2021, 11, 20),
                                            community=w.east)
    w.foreign_item = services.add_item(w.bureau, w.meeting, description="西城架空线入地",
                                       lead_department=w.power_company, due_date=datetime.date(2021, 12, 10),
                                       community=w.west)
    w.closed_item = services.add_item(w.bureau, w.meeting, description="恢复消防栓", lead_department=w.water_company,
                                      due_date=datetime.date(2021, 11, 15), project=w.project)
    services.close_item(w.department, w.closed_item, evidence="已恢复，见照片",
                        document=SimpleUploadedFile("照片.pdf", b"%PDF-1.4 photo"), day=datetime.date(2021, 11, 14))

    w.utility_work = utility.add_work(w.bureau, community=w.east, utility=w.water_company, description="更换供水管网",
                                      quantity=Decimal("800"), unit="m", cost=Decimal("400000"),
                                      utility_share=Decimal("240000"), year=2021)
    w.foreign_work = utility.add_work(w.bureau, community=w.west, utility=w.power_company, description="西城电缆入地",
                                      quantity=Decimal("300"), unit="m", cost=Decimal("90000"),
                                      utility_share=Decimal("90000"), year=2021)
    w.utility_entry = utility.report(w.department, w.utility_work, datetime.date(2021, 11, 20), Decimal("100"))
    w.utility_photo = utility.attach_photo(w.utility_entry, _png())


def _png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile("pipe.png", buffer.getvalue(), content_type="image/png")
