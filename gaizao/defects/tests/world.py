"""Defects in the security tests' world (tests/security/conftest.py): 东城's last project item becomes project P3,
accepted on 20 October 2020 (中建交通建设集团); 西城's P2 was accepted on 1 June 2021 (the rival). Defects: the
identified household's (open, with a photo; and one answered), its neighbour's (answered), and one in 西城."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gaizao.defects import services
from gaizao.works.models import Acceptance, Project

ACCEPTED = datetime.date(2020, 10, 20)


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def add_defects(w, photo_bytes: bytes) -> None:
    last = w.project.items.order_by("-pk").first()
    w.accepted_project = Project.objects.create(
        code="P3", name=f"{w.east.name}先行改造", contractor=w.builder, planned_start=datetime.date(2020, 4, 1),
        planned_finish=datetime.date(2020, 10, 1), actual_start=datetime.date(2020, 4, 1),
        actual_finish=datetime.date(2020, 10, 1), status=Project.Status.ACCEPTED)
    w.accepted_project.communities.add(w.east)
    last.project = w.accepted_project
    last.save(update_fields=["project"])
    Acceptance.objects.create(project=w.accepted_project, date=ACCEPTED, participants="住建局\n居民代表")
    w.defect_item = last

    def photo():
        return SimpleUploadedFile("leak.png", photo_bytes, content_type="image/png")

    reported = _at(datetime.date(2021, 11, 20), 9)
    w.defect = services.report(w.east, last, household=w.household, text="顶层卧室漏雨", location="601",
                               photos=[photo()], at=reported).defect
    w.defect_photo = w.defect.photos.get()
    w.answered_defect = services.report(w.east, last, household=w.household, text="楼道墙面渗水",
                                        at=reported).defect
    services.answer(w.contractor, w.answered_defect, "已重做防水层", at=_at(datetime.date(2021, 11, 22), 10))
    w.neighbour_defect = services.report(w.east, last, household=w.neighbour, text="阳台漏水", at=reported).defect
    services.answer(w.contractor, w.neighbour_defect, "已修复", at=_at(datetime.date(2021, 11, 22), 11))
    west_item = w.rival_project.items.order_by("pk").first()
    w.west_defect = services.report(w.west, west_item, household=w.west_household, text="西城屋面渗漏",
                                    photos=[photo()], at=reported).defect
    w.west_defect_photo = w.west_defect.photos.get()
