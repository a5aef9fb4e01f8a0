"""The joint meeting's work: meetings recorded by the bureau, each decision an item with a lead department and a
due date, followed up by that department until it closes the item with evidence; and the bulletin's ranking of
departments by their overdue items.

An item's life, each step an ItemUpdate:

    decided ──► open ──update──► in progress ──close (evidence)──► done
                   ▲                                                  │
                   └──── revise (lead, due date) · reopen (reason) ◄──┘   bureau only, each with a reason

A revision or a reopening is a correction, not an edit: the reason is kept in the item's history and the audit
log, and from then on the bulletin judges the item by its new due date (or as never closed).

Overdue on a day D: decided at a meeting on or before D, due before D, and not closed on or before D. "Today" is
the platform's (gaizao.core.clock), so the demo's items are overdue on 2021-11-25 whatever the machine's date.
An item is closed on the platform's today, never on a typed date: a department cannot back-date a late closure
out of the ranking.
"""

import datetime
import uuid
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gaizao.coordination.access import is_bureau, may_act_on
from gaizao.coordination.models import CoordinationItem, Department, ItemUpdate, Meeting
from gaizao.core import audit, clock, formatting

Status = CoordinationItem.Status
MAX_TEXT = 4000
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENT_SUFFIXES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png"}
# A meeting dated this long before today is most likely a mistyped year.
OLDEST_MEETING = datetime.timedelta(days=3 * 365)


def actor_name(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "system"
    return actor.get_full_name() or actor.get_username()


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    if len(value) > MAX_TEXT:
        raise ValidationError(_("Please keep it under %(n)s characters.") % {"n": MAX_TEXT})
    return value


def check_meeting_date(day: datetime.date | None) -> datetime.date:
    if day is None:
        raise ValidationError(_("Give the date the meeting was held."))
    today = clock.today()
    if day > today:
        raise ValidationError(_("A meeting is recorded once it has been held: its date cannot be after today "
                                "(%(today)s).") % {"today": today.isoformat()})
    if day < today - OLDEST_MEETING:
        raise ValidationError(_("The date is more than three years ago; check the year."))
    return day


@transaction.atomic
def record_meeting(actor, *, date: datetime.date, title: str, departments=(), other_attendees: str = "",
                   minutes: str = "") -> Meeting:
    """A joint meeting that was held, with who attended; its decisions are added as items."""
    if actor is not None and not is_bureau(actor):
        raise PermissionDenied(_("Only bureau staff record joint meetings."))
    date = check_meeting_date(date)
    title = _text(title, _("Give the meeting a title."))[:150]
    departments = list(departments)
    if not departments and not (other_attendees or "").strip():
        raise ValidationError(_("Say who attended: choose the departments or write the attendees."))
    meeting = Meeting(date=date, title=title, other_attendees=(other_attendees or "").strip()[:MAX_TEXT],
                      minutes=(minutes or "").strip()[:20000],
                      recorded_by=actor if getattr(actor, "pk", None) else None)
    meeting.full_clean()
    meeting.save()
    meeting.departments.set(departments)
    audit.record(actor, [audit.Change("create", meeting, None, audit.snapshot(meeting, ["date", "title"]))])
    return meeting


def check_item(*, description: str, lead_department: Department | None, due_date: datetime.date | None,
               meeting: Meeting, community=None, project=None) -> str:
    """The item's rules, each refusal a sentence: returns the cleaned description."""
    problems = []
    if lead_department is None:
        problems.append(_("Name the department that leads this item: every decision of the joint meeting has "
                          "one lead department."))
    if due_date is None:
        problems.append(_("Give the date the item is due: every decision of the joint meeting has a deadline."))
    elif due_date < meeting.date:
        problems.append(_("The due date cannot be before the meeting (%(date)s).")
                        % {"date": meeting.date.isoformat()})
    if community is not None and project is not None:
        problems.append(_("An item is about a community or a project, not both."))
    try:
        description = _text(description, _("Say what is to be done."))
    except ValidationError as error:
        problems.extend(error.messages)
        description = ""
    if problems:
        raise ValidationError(problems)
    return description


@transaction.atomic
def add_item(actor, meeting: Meeting, *, description: str, lead_department: Department | None,
             due_date: datetime.date | None, other_departments=(), community=None, project=None) -> CoordinationItem:
    """A decision of the meeting as an item: refused without a lead department or a due date."""
    if actor is not None and not is_bureau(actor):
        raise PermissionDenied(_("Only bureau staff add the joint meeting's items."))
    description = check_item(description=description, lead_department=lead_department, due_date=due_date,
                             meeting=meeting, community=community, project=project)
    item = CoordinationItem(meeting=meeting, description=description, lead_department=lead_department,
                            due_date=due_date, community=community, project=project)
    item.full_clean()
    item.save()
    item.other_departments.set([d for d in other_departments if d.pk != lead_department.pk])
    ItemUpdate.objects.create(item=item, status=Status.OPEN, actor=actor if getattr(actor, "pk", None) else None,
                              actor_name=actor_name(actor),
                              text=_("Decided at the joint meeting of %(date)s.") % {"date": meeting.date.isoformat()})
    audit.record(actor, [audit.Change("create", item, None,
                                      audit.snapshot(item, ["lead_department", "due_date", "description"]),
                                      parent=meeting)])
    return item


def _locked(item: CoordinationItem) -> CoordinationItem:
    return CoordinationItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def update_item(actor, item: CoordinationItem, text: str) -> CoordinationItem:
    """The lead department says how the item is going (办理情况): an open item is then in progress."""
    if not may_act_on(actor, item):
        raise PermissionDenied(_("Only the lead department updates this item."))
    text = _text(text, _("Say how the item is going."))
    current = _locked(item)
    if current.status == Status.DONE:
        raise ValidationError(_("This item is already done."))
    current.status = Status.IN_PROGRESS
    current.save(update_fields=["status"])
    ItemUpdate.objects.create(item=current, status=current.status, text=text, actor=actor,
                              actor_name=actor_name(actor))
    return current


def check_document(upload) -> None:
    """An evidence document, checked by content: PDF, Word or Excel (zip or the old format), JPEG or PNG."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("%(name)s is larger than 20 MB.") % {"name": upload.name})
    head = upload.read(8)
    upload.seek(0)
    if not (head.startswith((b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\xff\xd8", b"\x89PNG"))):
        raise ValidationError(_("%(name)s is not a PDF, Word, Excel or photo file.") % {"name": upload.name})


@transaction.atomic
def close_item(actor, item: CoordinationItem, *, evidence: str, document=None,
               day: datetime.date | None = None) -> CoordinationItem:
    """The lead department closes its item with evidence of what was done (a document optional). Closed on the
    platform's today; `day` is for loading history (the demo), never a user's choice."""
    if not may_act_on(actor, item):
        raise PermissionDenied(_("Only the lead department closes this item."))
    evidence = _text(evidence, _("Describe the evidence that the item is done: what was done, and where it can "
                                 "be checked."))
    if document:
        check_document(document)
    today = clock.today()
    day = day or today
    current = _locked(item)
    if current.status == Status.DONE:
        raise ValidationError(_("This item is already done."))
    meeting_date = current.meeting.date
    if day > today or day < meeting_date:
        raise ValidationError(_("An item is closed between its meeting (%(meeting)s) and today.")
                              % {"meeting": meeting_date.isoformat()})
    current.status, current.closed_on = Status.DONE, day
    current.evidence = evidence
    current.closed_by = actor if getattr(actor, "pk", None) else None
    current.closed_by_name = actor_name(actor)
    if document:
        # A random stored name: the file name is shown as typed, but must not make the file guessable.
        suffix = Path(document.name or "").suffix.lower()
        current.evidence_file_name = (document.name or "")[:150]
        document.name = uuid.uuid4().hex + (suffix if suffix in DOCUMENT_SUFFIXES else "")
        current.evidence_file = document
    current.full_clean()
    current.save()
    ItemUpdate.objects.create(item=current, status=Status.DONE, text=evidence, actor=actor,
                              actor_name=actor_name(actor))
    audit.record(actor, [audit.Change("update", current, {"status": str(item.status)},
                                      {"status": Status.DONE, "closed_on": day.isoformat()})])
    return current


def _reason(reason: str) -> str:
    return _text(reason, _("Give the reason: the joint meeting's decision, or what was found. It is kept in the "
                           "item's history."))


@transaction.atomic
def revise_item(actor, item: CoordinationItem, *, lead_department: Department | None,
                due_date: datetime.date | None, reason: str) -> CoordinationItem:
    """The meeting moves an item's deadline or gives it to another department (bureau staff, with a reason)."""
    if not is_bureau(actor):
        raise PermissionDenied(_("Only bureau staff revise the joint meeting's items."))
    reason = _reason(reason)
    current = _locked(item)
    if current.status == Status.DONE:
        raise ValidationError(_("This item is done: reopen it first, with the reason."))
    check_item(description=current.description, lead_department=lead_department, due_date=due_date,
               meeting=current.meeting)
    before = audit.snapshot(current, ["lead_department", "due_date"])
    changes = []
    if lead_department.pk != current.lead_department_id:
        changes.append(_("Lead department: %(before)s → %(after)s")
                       % {"before": current.lead_department.name, "after": lead_department.name})
    if due_date != current.due_date:
        changes.append(_("Due date: %(before)s → %(after)s")
                       % {"before": formatting.date(current.due_date), "after": formatting.date(due_date)})
    if not changes:
        raise ValidationError(_("Nothing differs: change the lead department or the due date."))
    current.lead_department, current.due_date = lead_department, due_date
    current.save(update_fields=["lead_department", "due_date"])
    current.other_departments.remove(lead_department)
    ItemUpdate.objects.create(item=current, status=current.status, actor=actor, actor_name=actor_name(actor),
                              text=_("%(changes)s. Reason: %(reason)s")
                              % {"changes": pgettext("between changes", "; ").join(changes), "reason": reason})
    audit.record(actor, [audit.Change("update", current, before,
                                      audit.snapshot(current, ["lead_department", "due_date"]),
                                      parent=current.meeting)], reason=reason)
    return current


@transaction.atomic
def reopen_item(actor, item: CoordinationItem, *, reason: str) -> CoordinationItem:
    """A closed item opened again (the evidence did not hold): bureau staff, with a reason. It is back with its
    lead department, overdue again if past its due date."""
    if not is_bureau(actor):
        raise PermissionDenied(_("Only bureau staff reopen the joint meeting's items."))
    reason = _reason(reason)
    current = _locked(item)
    if current.status != Status.DONE:
        raise ValidationError(_("This item is not closed."))
    before = {"status": Status.DONE, "closed_on": current.closed_on.isoformat()}
    current.status, current.closed_on, current.closed_by, current.closed_by_name = Status.IN_PROGRESS, None, None, ""
    current.full_clean()
    current.save()
    ItemUpdate.objects.create(item=current, status=current.status, actor=actor, actor_name=actor_name(actor),
                              text=_("Reopened. Reason: %(reason)s") % {"reason": reason})
    audit.record(actor, [audit.Change("update", current, before, {"status": Status.IN_PROGRESS, "closed_on": None},
                                      parent=current.meeting)], reason=reason)
    return current


# ---- overdue and the ranking -----------------------------------------------------------------------------------

def overdue_q(day: datetime.date) -> Q:
    """Items overdue on `day`: decided by then, due before it, and not closed on or before it."""
    return (Q(meeting__date__lte=day, due_date__lt=day)
            & (Q(closed_on__isnull=True) | Q(closed_on__gt=day)))


def is_overdue(item: CoordinationItem, day: datetime.date | None = None) -> bool:
    day = day or clock.today()
    closed = item.closed_on is not None and item.closed_on <= day
    return item.due_date < day and not closed


def department_ranking(day: datetime.date) -> list[dict]:
    """The departments leading items on `day`, ranked the way the bulletin ranks sub-districts: fewest overdue
    items first, equal counts sharing a rank (1, 1, 3 …). Each row: id, name, kind, items (decided by then),
    done (closed on or before the day), open, overdue, rank."""
    # The bulletin's own ranking rule, so the two rankings read the same way.
    from gaizao.works.bulletin import _competition_ranks

    rows: dict[int, dict] = {}
    items = (CoordinationItem.objects.filter(meeting__date__lte=day)
             .values_list("lead_department_id", "lead_department__name", "lead_department__kind", "due_date",
                          "closed_on"))
    for department_id, name, kind, due, closed_on in items:
        row = rows.setdefault(department_id, {"id": department_id, "name": name, "kind": kind, "items": 0,
                                              "done": 0, "open": 0, "overdue": 0})
        row["items"] += 1
        closed = closed_on is not None and closed_on <= day
        row["done" if closed else "open"] += 1
        row["overdue"] += int(not closed and due < day)
    ranked = list(rows.values())
    for row in ranked:
        row["done_share"] = row["done"] / row["items"] if row["items"] else 0.0
    _competition_ranks(ranked, lambda r: (r["overdue"], -r["done_share"], r["name"]), "rank")
    return sorted(ranked, key=lambda r: (r["rank"], -r["done_share"], r["name"]))


def totals(rows: list[dict]) -> dict:
    return {key: sum(r[key] for r in rows) for key in ("items", "done", "open", "overdue")}
