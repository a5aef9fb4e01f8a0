"""Utilities' own pipe and cable work in the communities (管线单位出资), and the progress they report.

A utility (water, power, gas, heating, telecom) renovates its own network in a community alongside the bureau's
works and pays its share. Its progress is reported as a contractor reports (append-only increments, corrections
with a reason, never a date in the future) but kept apart from works' figures on purpose: the bulletin, the
dashboard and the projects' shares measure the bureau's own contracts against their contract values, and a
utility's work is neither contracted nor paid by the bureau, so adding it there would inflate the district's
progress with money the bureau does not manage.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from gaizao.coordination.access import is_bureau, may_report_on
from gaizao.coordination.models import Department, UtilityProgress, UtilityWork
from gaizao.coordination.services import actor_name
from gaizao.core import audit, clock

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def share_from(cost: Decimal, yuan: Decimal | None, percent: Decimal | None) -> Decimal:
    """The utility's share in yuan, given in yuan or as a percentage of the cost (not both)."""
    if yuan is not None and percent is not None:
        raise ValidationError(_("Give the utility's share in yuan or as a percentage, not both."))
    if yuan is None and percent is None:
        raise ValidationError(_("Give the share the utility pays, in yuan or as a percentage of the cost."))
    if percent is not None:
        if not 0 <= percent <= 100:
            raise ValidationError(_("A percentage is between 0 and 100."))
        return (cost * percent / HUNDRED).quantize(CENT)
    return yuan


@transaction.atomic
def add_work(actor, *, community, utility: Department, description: str, quantity: Decimal, unit: str,
             cost: Decimal, utility_share: Decimal, year: int) -> UtilityWork:
    """A utility's work in a community, recorded by the bureau (as agreed at the joint meeting)."""
    if actor is not None and not is_bureau(actor):
        raise PermissionDenied(_("Only bureau staff record a utility's works."))
    if utility is None or utility.kind != Department.Kind.UTILITY:
        raise ValidationError(_("Choose the utility (water, power, gas, heating or telecom) that does the work."))
    work = UtilityWork(community=community, utility=utility, description=(description or "").strip(),
                       quantity=quantity, unit=unit, cost=cost, utility_share=utility_share, year=year,
                       created_by=actor if getattr(actor, "pk", None) else None)
    if not work.description:
        raise ValidationError(_("Say what the work is."))
    work.full_clean()
    work.save()
    audit.record(actor, [audit.Change("create", work, None,
                                      audit.snapshot(work, ["utility", "description", "quantity", "cost",
                                                            "utility_share", "year"]), parent=community)])
    return work


def done_quantity(work: UtilityWork, day: datetime.date | None = None) -> Decimal:
    entries = work.entries.all()
    if day is not None:
        entries = entries.filter(date__lte=day)
    return entries.aggregate(total=Sum("quantity"))["total"] or Decimal(0)


def check_day(work: UtilityWork, day: datetime.date | None) -> datetime.date:
    if day is None:
        raise ValidationError(_("Give the date of the work."))
    if day > clock.today():
        raise ValidationError(_("The date of the work cannot be in the future."))
    if day.year < work.year - 1:
        raise ValidationError(_("The date is long before the work's year (%(year)s); check the year.")
                              % {"year": work.year})
    return day


@transaction.atomic
def report(actor, work: UtilityWork, day: datetime.date, quantity: Decimal, *, note: str = "",
           variation_reason: str = "") -> UtilityProgress:
    """The quantity done on a day. Past the planned quantity needs a reason. The work is locked while its total
    is checked, so two reports at the same moment are both counted and both checked."""
    if actor is not None and not may_report_on(actor, work):
        raise PermissionDenied(_("You may only report on your own utility's works."))
    day = check_day(work, day)
    if quantity is None or quantity <= 0:
        raise ValidationError(_("A report adds a positive quantity; use a correction to take some back."))
    work = UtilityWork.objects.select_for_update().get(pk=work.pk)
    after = done_quantity(work) + quantity
    if after > work.quantity and not (variation_reason or "").strip():
        raise ValidationError(_("The work would reach %(after)s of the %(planned)s planned. Give a variation reason "
                                "to go past the plan.") % {"after": after, "planned": work.quantity})
    entry = UtilityProgress(work=work, date=day, quantity=quantity, note=(note or "")[:300],
                            reason=(variation_reason or "")[:300] if after > work.quantity else "",
                            reporter=actor if getattr(actor, "pk", None) else None, reporter_name=actor_name(actor))
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def correct(actor, entry: UtilityProgress, quantity: Decimal, reason: str) -> UtilityProgress:
    """A correcting entry (negative to take back); the original stays, so the history shows both."""
    work = UtilityWork.objects.select_for_update().get(pk=entry.work_id)
    if actor is not None and not may_report_on(actor, work):
        raise PermissionDenied(_("You may only correct your own utility's reports."))
    if not (reason or "").strip():
        raise ValidationError(_("A correction needs a reason."))
    if quantity is None or quantity == 0:
        raise ValidationError(_("Enter a quantity other than zero."))
    if done_quantity(work) + quantity < 0:
        raise ValidationError(_("The correction would take the total below zero."))
    fix = UtilityProgress(work=work, date=entry.date, quantity=quantity, kind=UtilityProgress.Kind.CORRECTION,
                          reason=reason.strip()[:300],
                          note=_("Corrects the entry of %(date)s") % {"date": entry.date.isoformat()},
                          reporter=actor if getattr(actor, "pk", None) else None, reporter_name=actor_name(actor))
    fix.full_clean()
    fix.save()
    return fix


def attach_photo(entry: UtilityProgress, upload):
    """A site photo checked by content, as contractors' photos are (works.photos)."""
    from gaizao.coordination.models import UtilityPhoto
    from gaizao.works.photos import check_image

    metadata = check_image(upload)
    photo = UtilityPhoto(entry=entry, image=upload, **metadata)
    photo.full_clean()
    photo.save()
    return photo


def rows_for(works) -> list[dict]:
    """Each work with its quantity done and share done, for the community and plan pages."""
    done = dict(UtilityProgress.objects.filter(work__in=works).values("work").annotate(total=Sum("quantity"))
                .values_list("work", "total"))
    rows = []
    for work in works:
        quantity = done.get(work.pk) or Decimal(0)
        rows.append({"work": work, "done": quantity,
                     "share_done": float(quantity / work.quantity) if work.quantity else 0.0})
    return rows
