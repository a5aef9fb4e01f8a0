"""Defects open and overdue on a day, by sub-district and by contractor (the bulletin's figures).

A defect's state on a past day is replayed from its events (the status and deadline after the last step before
the day ended), so a bulletin of any day shows what was open and overdue then, not what is now.
"""

import datetime
from collections import defaultdict

from django.utils import timezone

from gaizao.core import clock
from gaizao.defects.models import Defect, DefectEvent
from gaizao.regions.services import subdistrict_name

Kind, Status = DefectEvent.Kind, Defect.Status
STATUS_AFTER = {Kind.REPORTED: Status.OPEN, Kind.ANSWERED: Status.ANSWERED, Kind.REOPENED: Status.OPEN,
                Kind.CONFIRMED: Status.CLOSED}


def _day_end(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def state_on(defect: Defect, day_end: datetime.datetime):
    """(status, deadline) at `day_end`, or (None, None) when it had not been reported yet."""
    status, deadline = None, None
    for event in defect.events.all():  # ordered by time
        if event.at >= day_end:
            break
        status = STATUS_AFTER.get(event.kind, status)
        deadline = event.deadline or deadline
    return status, deadline


def _on_day(day: datetime.date, projects=None):
    """Defects reported by the end of the day and not closed before it, with (status, deadline) then."""
    end = _day_end(day)
    defects = (Defect.objects.filter(created_at__lt=end).exclude(closed_at__lt=end)
               .select_related("community__subdistrict__parent", "company").prefetch_related("events"))
    if projects is not None:
        defects = defects.filter(project_item__project__in=projects)
    for defect in defects:
        status, deadline = state_on(defect, end)
        if status in (Status.OPEN, Status.ANSWERED):
            yield defect, status == Status.OPEN and deadline is not None and deadline < day


def _grouped(day, projects, key):
    day = day or clock.today()
    groups = defaultdict(lambda: {"open": 0, "overdue": 0, "within": 0})
    total = {"open": 0, "overdue": 0, "within": 0}
    for defect, overdue in _on_day(day, projects):
        found = key(defect)
        if found is None:
            continue
        pk, code, name = found
        bucket = groups[pk]
        bucket.update(id=pk, code=code, name=name)
        within = defect.responsible == Defect.Responsible.CONTRACTOR
        for target in (bucket, total):
            target["open"] += 1
            target["overdue"] += overdue
            target["within"] += within
    rows = sorted(groups.values(), key=lambda r: (-r["overdue"], -r["open"], r["code"] or "", r["name"]))
    return {"day": day, "total": total, "rows": rows}


def defects_by_subdistrict(day: datetime.date | None = None, projects=None) -> dict:
    """{"day", "total": {open, overdue, within}, "rows": [{id, code, name, open, overdue, within}]}: defects open
    (waiting for an answer or a confirmation) on the day per sub-district, most overdue first; `within`: of them,
    inside the warranty (with contractors). `projects`: only defects in those projects' work."""
    found = _grouped(day, projects, lambda d: (d.community.subdistrict_id, d.community.subdistrict.code or "",
                                               (getattr(d.community.subdistrict.parent, "name", ""),
                                                d.community.subdistrict.name)))
    # Every district has its 东城办事处: beyond one district a sub-district is named with its district.
    wide = len({row["name"][0] for row in found["rows"]}) > 1
    for row in found["rows"]:
        district, name = row["name"]
        row["name"] = subdistrict_name(name, district, wide)
    return found


def defects_by_contractor(day: datetime.date | None = None, projects=None) -> dict:
    """The same per contractor, for the defects within the warranty (the only ones contractors answer)."""
    return _grouped(day, projects, lambda d: (d.company_id, "", d.company.name) if d.company_id else None)
