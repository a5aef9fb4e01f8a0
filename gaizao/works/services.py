"""Progress reports: append-only entries, corrections with a reason, photos checked by content."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from gaizao.core import clock, formatting
from gaizao.works.access import may_report
from gaizao.works.models import ProgressEntry, Project, ProjectItem


def done_quantity(project_item, day: datetime.date | None = None) -> Decimal:
    entries = project_item.entries.all()
    if day is not None:
        entries = entries.filter(date__lte=day)
    return entries.aggregate(total=Sum("quantity"))["total"] or Decimal(0)


def _actor_name(actor) -> str:
    return actor.get_username() if actor is not None and getattr(actor, "pk", None) else "system"


@transaction.atomic
def record_progress(actor, project: Project, day: datetime.date, quantities: dict[int, Decimal], *,
                    note: str = "", variation_reason: str = "") -> list[ProgressEntry]:
    """Add today's quantities (project item id → increment). Past the planned quantity needs a reason.

    The project items are locked while the totals are checked, so two reports at the same moment are both
    counted and both checked against the plan.
    """
    if actor is not None and not may_report(actor, project):
        raise PermissionDenied(_("You may only report on your own company's projects."))
    if day > clock.today():
        raise ValidationError(_("The date of the work cannot be in the future."))
    if project.planned_start and day < project.planned_start - datetime.timedelta(days=365):
        raise ValidationError(_("The date is long before the project; check the year."))
    wanted = {int(k): Decimal(v) for k, v in quantities.items() if v not in (None, "", 0, Decimal(0))}
    if not wanted:
        raise ValidationError(_("Enter at least one quantity."))
    items = {i.pk: i for i in ProjectItem.objects.select_for_update().select_related("plan_item__item")
             .filter(project=project, pk__in=wanted)}
    if set(items) != set(wanted):
        raise ValidationError(_("An item does not belong to this project."))
    entries = []
    for item_id, quantity in wanted.items():
        item = items[item_id]
        if quantity <= 0:
            raise ValidationError(_("%(item)s: a report adds a positive quantity; use a correction to take some "
                                    "back.") % {"item": item.plan_item.item.name})
        planned = item.plan_item.quantity
        after = done_quantity(item) + quantity
        if after > planned and not variation_reason.strip():
            raise ValidationError(_("%(item)s would reach %(after)s of the %(planned)s planned. Give a variation "
                                    "reason to go past the plan.")
                                  % {"item": item.plan_item.item.name, "after": after, "planned": planned})
        entries.append(ProgressEntry(project_item=item, date=day, quantity=quantity, note=note[:300],
                                     reason=variation_reason[:300] if after > planned else "",
                                     reporter=actor if getattr(actor, "pk", None) else None,
                                     reporter_name=_actor_name(actor)))
    for entry in entries:
        entry.full_clean()
    ProgressEntry.objects.bulk_create(entries)
    _mark_started(project, day)
    return entries


def _mark_started(project, day):
    # Saved only when it changes: each save raises the projects' change stamp (`works.structure`), and the pages
    # over the whole platform would rebuild the projects' shape after every report.
    started = project.actual_start is not None and day >= project.actual_start
    if started and project.status != Project.Status.NOT_STARTED:
        return
    if project.actual_start is None or day < project.actual_start:
        project.actual_start = day
    if project.status == Project.Status.NOT_STARTED:
        project.status = Project.Status.UNDER_CONSTRUCTION
    project.save(update_fields=["actual_start", "status"])


@transaction.atomic
def correct(actor, entry: ProgressEntry, quantity: Decimal, reason: str) -> ProgressEntry:
    """A correcting entry (negative to take back); the original stays, so history shows both."""
    project_item = ProjectItem.objects.select_for_update().get(pk=entry.project_item_id)
    if actor is not None and not may_report(actor, project_item.project):
        raise PermissionDenied(_("You may only correct your own company's reports."))
    if not reason.strip():
        raise ValidationError(_("A correction needs a reason."))
    if done_quantity(project_item) + quantity < 0:
        raise ValidationError(_("The correction would take the total below zero."))
    fix = ProgressEntry(project_item=project_item, date=entry.date, quantity=quantity,
                        kind=ProgressEntry.Kind.CORRECTION, reason=reason[:300],
                        note=_("Corrects the entry of %(date)s") % {"date": entry.date},
                        reporter=actor if getattr(actor, "pk", None) else None, reporter_name=_actor_name(actor))
    fix.full_clean()
    fix.save()
    return fix


def accept(actor, project: Project, **details):
    """Kept for callers of `services.accept`: the acceptance's rules live in `gaizao.works.acceptance`."""
    from gaizao.works.acceptance import accept as record_acceptance

    return record_acceptance(actor, project, **details)


@transaction.atomic
def complete(actor, project: Project, day: datetime.date) -> Project:
    """The works are finished (完工): the contractor or the bureau says so on a day, which opens the residents'
    satisfaction survey and then the completion acceptance. Dated from the last report to the platform's today."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if actor is not None and not may_report(actor, locked):
        raise PermissionDenied(_("Only the project's contractor or the bureau may declare its works finished."))
    if locked.status != Project.Status.UNDER_CONSTRUCTION:
        raise ValidationError(_("Only a project under construction can be declared finished (it is now: "
                                "%(status)s).") % {"status": locked.get_status_display()})
    last = (ProgressEntry.objects.filter(project_item__project=locked).order_by("-date")
            .values_list("date", flat=True).first())
    today = clock.today()
    earliest = max((d for d in (locked.actual_start, last) if d is not None), default=today)
    if day > today or day < earliest:
        raise ValidationError(_("The works can be declared finished from %(earliest)s (the start or the last "
                                "report) to today, %(today)s.") % {"earliest": formatting.date(earliest),
                                                                   "today": formatting.date(today)})
    locked.status = Project.Status.COMPLETED
    locked.actual_finish = day
    locked.full_clean()
    locked.save(update_fields=["status", "actual_finish"])
    return locked
