"""Completion acceptance (竣工验收): recorded once, dated within the works, changed only by a correction.

Every later date counts from the acceptance date — warranty periods, return visits, long-term management
deadlines. Always read ``project.acceptance.date``; never copy it: `correct_acceptance` changes that row's date
(the first record and every step stay in `AcceptanceCorrection`), and a copied date would keep the old value.

The rules, the same for the pages, the API and the command line:
- an acceptance is dated within the works: not before the project's start (actual, else planned) nor before
  its last progress report, and not after the platform's today (`gaizao.core.clock`);
- a project is accepted once: the project row is locked while it is checked, and the one-to-one key refuses a
  second row, so two first acceptances at the same moment cannot both be kept (the second gets a sentence);
- a correction is bureau staff's explicit act with a reason, kept with the values before and after;
- the residents' satisfaction must reach the district's minimum (改造成效由群众评判) before the first acceptance.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gaizao.core import audit, clock, formatting
from gaizao.works.access import runs_project
from gaizao.works.models import Acceptance, AcceptanceCorrection, ProgressEntry, Project
from gaizao.works.services import done_quantity

CHECKS = ["documents", "quantities", "quality", "residents", "handover"]
FIELDS = ["date", "participants", "checklist", "notes"]


class AlreadyAccepted(ValidationError):
    """The project has its acceptance already; a change is a correction."""


def may_accept(user, project=None) -> bool:
    """Bureau staff record and correct acceptances (a leader reads, an officer or contractor neither); a
    district's bureau those of its district's projects. Without a project (the settings): the whole platform's."""
    if user is None or not user.is_active or not user.can_edit_census:
        return False
    if project is None:
        return user.sees_whole_district
    return runs_project(user, project)


def _require_bureau(actor, message, project=None):
    if actor is not None and not may_accept(actor, project):
        raise PermissionDenied(message)


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _actor_name(actor) -> str:
    return actor.get_username() if _actor(actor) else "system"


@dataclass
class Window:
    """The dates an acceptance of the project may carry."""

    earliest: datetime.date
    latest: datetime.date
    after_reports: bool  # True when the last progress report, not the start, sets the earliest day

    @property
    def possible(self) -> bool:
        return self.earliest <= self.latest

    def contains(self, day: datetime.date) -> bool:
        return self.earliest <= day <= self.latest

    def sentence(self) -> str:
        words = {"earliest": formatting.date(self.earliest), "latest": formatting.date(self.latest)}
        if not self.possible:
            return _("The project cannot be accepted yet: its works start on %(earliest)s, after today "
                     "(%(latest)s).") % words
        if self.after_reports:
            return _("Date the acceptance within the works: from the last progress report, %(earliest)s, to "
                     "today, %(latest)s.") % words
        return _("Date the acceptance within the works: from the project's start, %(earliest)s, to today, "
                 "%(latest)s.") % words


def date_window(project: Project) -> Window:
    """From the start (actual, else planned) or the last progress report, whichever is later, to today."""
    start = project.actual_start or project.planned_start
    last = ProgressEntry.objects.filter(project_item__project=project).aggregate(last=Max("date"))["last"]
    earliest = max(start, last) if last else start
    return Window(earliest, clock.today(), after_reports=bool(last and last > start))


def short_items(project: Project) -> list[dict]:
    """The project's items short of their planned quantity: each needs a recorded reason before acceptance."""
    rows = []
    for item in project.items.select_related("plan_item__item", "plan_item__plan__community"):
        done = done_quantity(item)
        if done < item.plan_item.quantity:
            rows.append({"item": item, "done": done, "planned": item.plan_item.quantity})
    return rows


def check_date(project: Project, day: datetime.date) -> None:
    window = date_window(project)
    if day is None or not window.contains(day):
        raise ValidationError(window.sentence(), code="date")


def already_accepted(acceptance: Acceptance) -> AlreadyAccepted:
    return AlreadyAccepted(
        _("This project was accepted on %(date)s; that record stays. To change it, use “Correct the "
          "acceptance” and give a reason.") % {"date": formatting.date(acceptance.date)}, code="accepted")


def _checklist(checklist: dict) -> dict:
    return {key: bool(checklist.get(key)) for key in CHECKS}


@dataclass
class Satisfaction:
    """The residents' satisfaction rate against the district's minimum, as the acceptance page shows it."""

    ok: bool
    rate: Decimal | None
    minimum: Decimal | None
    responses: int


def satisfaction(project: Project) -> Satisfaction:
    # The survey lives in the residents' apps, which build on this one, hence the late import.
    from gaizao.surveys.services import check_minimum

    found = check_minimum(project)
    return Satisfaction(found.ok, found.rate, found.minimum, found.responses)


def percent(rate) -> str:
    """0.923 -> 92.3%, 0.8 -> 80%."""
    return "—" if rate is None else formatting.grouped(Decimal(rate) * 100, 1) + "%"


def satisfaction_line(found: Satisfaction) -> str:
    """居民满意率 92.3%，要求不低于 80%（26 户作答）: the acceptance page's headline."""
    words = {"rate": percent(found.rate), "minimum": percent(found.minimum),
             "n": formatting.grouped(found.responses)}
    if found.rate is None and found.minimum is None:
        return _("No resident has answered a satisfaction survey on this project yet; the district sets no minimum "
                 "for acceptance.")
    if found.minimum is None:
        return _("Residents' satisfaction %(rate)s (from %(n)s households' answers); the district sets no minimum "
                 "for acceptance.") % words
    if found.rate is None:
        return _("Residents' satisfaction: no answers yet, required at least %(minimum)s.") % words
    return _("Residents' satisfaction %(rate)s, required at least %(minimum)s (from %(n)s households' answers).") \
        % words


def satisfaction_refusal(found: Satisfaction) -> str:
    words = {"rate": percent(found.rate), "minimum": percent(found.minimum)}
    if found.rate is None:
        return _("No resident has answered a satisfaction survey on this project yet, and the district requires "
                 "at least %(minimum)s: open a satisfaction survey for its community and accept once the rate "
                 "reaches the minimum.") % words
    return _("The residents' satisfaction is %(rate)s, below the required %(minimum)s: the project cannot be "
             "accepted yet. Resolve what residents are unhappy about, survey them again and accept once the rate "
             "reaches the minimum.") % words


@transaction.atomic
def accept(actor, project: Project, *, day: datetime.date, participants: str, checklist: dict,
           shortfall_reasons: dict[int, str], notes: str = "") -> Acceptance:
    """Record the completion acceptance, once. Every item short of its planned quantity needs a recorded reason.

    Raises AlreadyAccepted (a ValidationError) when the project has one: the first record is never replaced.
    """
    _require_bureau(actor, _("Only bureau staff record a completion acceptance."), project)
    # Locked first: a second acceptance posted at the same moment waits here, then finds the first one.
    locked = Project.objects.select_for_update().get(pk=project.pk)
    existing = Acceptance.objects.filter(project=locked).first()
    if existing is not None:
        raise already_accepted(existing)
    check_date(locked, day)
    if not participants.strip():
        raise ValidationError(_("List the participants, resident representatives among them."))
    missing = []
    for item in locked.items.select_for_update().select_related("plan_item__item"):
        reason = (shortfall_reasons.get(item.pk) or item.shortfall_reason or "").strip()
        if done_quantity(item) < item.plan_item.quantity:
            if not reason:
                missing.append(item.plan_item.item.name)
                continue
            if reason != item.shortfall_reason:
                item.shortfall_reason = reason[:300]
                item.save(update_fields=["shortfall_reason"])
    if missing:
        raise ValidationError(_("These items are short of their planned quantity; record a reason for each: "
                                "%(items)s.") % {"items": "、".join(missing)})
    found = satisfaction(locked)
    if not found.ok:
        raise ValidationError(satisfaction_refusal(found), code="satisfaction")
    try:
        with transaction.atomic():  # a savepoint: the key's refusal must not break the caller's transaction
            acceptance = Acceptance.objects.create(
                project=locked, date=day, participants=participants.strip(), checklist=_checklist(checklist),
                notes=notes.strip(), recorded_by=_actor(actor), recorded_by_name=_actor_name(actor),
                recorded_at=clock.now())
    except IntegrityError:
        raise already_accepted(Acceptance.objects.get(project=locked)) from None
    locked.status = Project.Status.ACCEPTED
    locked.actual_finish = locked.actual_finish or day
    if locked.actual_start is None:
        locked.actual_start = day
    locked.save(update_fields=["status", "actual_finish", "actual_start"])
    project.status, project.actual_finish, project.actual_start = (locked.status, locked.actual_finish,
                                                                   locked.actual_start)
    audit.record(actor, [audit.Change("create", acceptance, None, audit.snapshot(acceptance, FIELDS),
                                      parent=locked)])
    return acceptance


@transaction.atomic
def correct_acceptance(actor, project: Project, *, day: datetime.date, participants: str, checklist: dict,
                       notes: str = "", reason: str) -> AcceptanceCorrection:
    """Correct a recorded acceptance: the acceptance row takes the new values (everything counted from its date
    follows), and a correction row keeps the values before and after, the reason, who and when."""
    _require_bureau(actor, _("Only bureau staff correct a completion acceptance."), project)
    acceptance = Acceptance.objects.select_for_update().filter(project=project).first()
    if acceptance is None:
        raise ValidationError(_("This project has no acceptance to correct; record the acceptance first."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction: it is kept with the record."), code="reason")
    if not participants.strip():
        raise ValidationError(_("List the participants, resident representatives among them."))
    check_date(project, day)
    new = {"date": day, "participants": participants.strip(), "checklist": _checklist(checklist),
           "notes": notes.strip()}
    before = {name: getattr(acceptance, name) for name in FIELDS}
    snapshot = audit.snapshot(acceptance, FIELDS)
    if new == {**before, "checklist": _checklist(before["checklist"] or {})}:
        raise ValidationError(_("Nothing differs from the current record: change the date, the participants, the "
                                "checklist or the notes."))
    correction = AcceptanceCorrection(
        acceptance=acceptance, previous_date=before["date"], previous_participants=before["participants"],
        previous_checklist=before["checklist"], previous_notes=before["notes"], reason=reason.strip()[:300],
        corrected_by=_actor(actor), corrected_by_name=_actor_name(actor), corrected_at=clock.now(), **new)
    correction.full_clean()
    correction.save()
    for name, value in new.items():
        setattr(acceptance, name, value)
    acceptance.save(update_fields=FIELDS)
    # The finish date was filled in from the acceptance when it had none; it moves with it.
    if project.actual_finish == before["date"] and day != before["date"]:
        Project.objects.filter(pk=project.pk).update(actual_finish=day)
        project.actual_finish = day
    audit.record(actor, [audit.Change("update", acceptance, snapshot, audit.snapshot(acceptance, FIELDS),
                                      parent=project)], reason=reason.strip())
    return correction


def history(acceptance: Acceptance) -> list[AcceptanceCorrection]:
    """The corrections, oldest first (the first one's previous values are the first record)."""
    return list(acceptance.corrections.select_related("corrected_by").order_by("corrected_at", "pk"))
