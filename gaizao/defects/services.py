"""Defects in accepted work (质量缺陷报修): routed by the warranty, answered by a deadline, closed by the reporter.

    reported ──► open ──answer──► answered ──confirm──► closed
                  ▲                   │
                  └──reopen (reason)──┘   a new deadline

Routing, on the day of the report (core.clock): the item's project must have its completion acceptance, else the
report is ordinary construction feedback (gaizao.feedback) and says so. Within the item's warranty (the catalogue's
period from the acceptance date as it stands, catalog.warranty) it goes to the project's contractor; after it, to
the community's management body (gaizao.aftercare), or to the sub-district office where there is none. The
deadline is DefectSettings.response_days after the report or the reopening. Overdue: still unanswered after its
deadline; overdue defects go up to the sub-district office (flagged on its list) and into the bulletin.
"""

import datetime
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaizao.catalog.warranty import item_warranty_end
from gaizao.core import clock
from gaizao.defects import access
from gaizao.defects.counts import defects_by_contractor, defects_by_subdistrict  # noqa: F401 - the public names
from gaizao.defects.models import Defect, DefectEvent, DefectPhoto, DefectSettings
from gaizao.works.models import ProjectItem

Responsible, Status, Kind = Defect.Responsible, Defect.Status, DefectEvent.Kind
MAX_TEXT = 2000
MAX_PHOTOS = 6
DAILY_LIMIT = 10  # reports a household a day, as for feedback: a stuck button must not flood a contractor
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}


def response_days() -> int:
    return DefectSettings.current().response_days


def save_settings(actor, response_days_value: int) -> DefectSettings:
    if not access.may_edit_settings(actor):
        raise PermissionDenied(_("Only bureau staff change the defect settings."))
    current = DefectSettings.current()
    current.response_days, current.updated_by = response_days_value, actor
    current.full_clean()
    current.save()
    return current


# ---- routing ---------------------------------------------------------------------------------------------------

def management_body_for(community, day: datetime.date | None = None):
    """The community's long-term management arrangement in place on the day (gaizao.aftercare's
    ManagementArrangement, with `body_name`), or None: none recorded, or the aftercare app not installed."""
    if not apps.is_installed("gaizao.aftercare"):
        return None
    from gaizao.aftercare.services import in_place_on

    return in_place_on(day or clock.today()).filter(community=community).order_by("-since", "-pk").first()


def accepted_on(project) -> datetime.date | None:
    """The project's acceptance date as it stands now (a correction moves it); None before the acceptance."""
    acceptance = getattr(project, "acceptance", None)
    return acceptance.date if acceptance is not None else None


def warranty_end(project_item) -> datetime.date | None:
    return item_warranty_end(project_item.plan_item.item, accepted_on(project_item.project))


@dataclass(frozen=True)
class Route:
    responsible: str
    company: object  # works.Company for the contractor, else None
    management_name: str
    warranty_end: datetime.date


def route(project_item, day: datetime.date) -> Route | None:
    """Where a defect reported on `day` goes; None when the project was not accepted by then."""
    accepted = accepted_on(project_item.project)
    if accepted is None or accepted > day:
        return None
    end = item_warranty_end(project_item.plan_item.item, accepted)
    if day <= end:
        return Route(Responsible.CONTRACTOR, project_item.project.contractor, "", end)
    community = project_item.plan_item.plan.community
    body = management_body_for(community, day)
    if body is not None:
        return Route(Responsible.MANAGEMENT, None, body.body_name[:150], end)
    return Route(Responsible.SUBDISTRICT, None, "", end)


def community_items(community):
    """The community's project items (of every project), accepted projects first, for the report form."""
    items = (ProjectItem.objects.filter(plan_item__plan__community=community)
             .select_related("plan_item__item", "plan_item__plan__community", "project__contractor",
                             "project__acceptance")
             .order_by("project__acceptance__date", "project__code", "plan_item__item__code"))
    found = []
    for item in items:
        item.accepted_on = accepted_on(item.project)
        item.warranty_ends = item_warranty_end(item.plan_item.item, item.accepted_on)
        found.append(item)
    return sorted(found, key=lambda i: i.accepted_on is None)


def item_label(item, day: datetime.date) -> str:
    """The item in plain words: 屋面防水（2019年验收，保修至2024年10月18日） / 外墙保温（尚未验收）."""
    from gaizao.core import formatting

    name = item.plan_item.item.name
    accepted = getattr(item, "accepted_on", None) or accepted_on(item.project)
    if accepted is None:
        return _("%(item)s (not accepted yet)") % {"item": name}
    end = item_warranty_end(item.plan_item.item, accepted)
    if day <= end:
        return _("%(item)s (accepted %(year)s, under warranty until %(end)s)") % {
            "item": name, "year": accepted.year, "end": formatting.date(end)}
    return _("%(item)s (accepted %(year)s, warranty ended %(end)s)") % {
        "item": name, "year": accepted.year, "end": formatting.date(end)}


# ---- the steps -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What a report became: a defect, or (on work not accepted yet) construction feedback."""

    defect: Defect | None = None
    feedback: object = None


def _clean_text(text: str, empty_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(empty_message)
    if len(text) > MAX_TEXT:
        raise ValidationError(_("Please keep it under %(n)s characters.") % {"n": MAX_TEXT})
    return text


def _check_photos(photos) -> list:
    from gaizao.feedback.forms import check_photo

    photos = [p for p in (photos or []) if p]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("Send at most %(n)s photos.") % {"n": MAX_PHOTOS})
    for photo in photos:
        check_photo(photo)
    return photos


def _attach(defect, event, photos):
    for photo in photos:
        # A random name: the sender's file name can say who they are, and must not make the file guessable.
        suffix = Path(photo.name or "").suffix.lower()
        photo.name = uuid.uuid4().hex + (suffix if suffix in PHOTO_SUFFIXES else ".jpg")
        DefectPhoto.objects.create(defect=defect, event=event, image=photo)


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def report(community, project_item, *, text: str, location: str = "", household=None, photos=(), entered_by=None,
           at: datetime.datetime | None = None) -> Outcome:
    """A household's (on its phone) or staff's report of a defect in one of the community's project items.

    Not accepted yet: passed to gaizao.feedback as quality feedback for the contractor (Outcome.feedback).
    `at`: when it was reported (the demo's history); the platform's now by default."""
    text = _clean_text(text, _("Say what is wrong."))
    location = (location or "").strip()
    if len(location) > 100:
        raise ValidationError(_("Say where in under 100 characters."))
    if project_item is None or project_item.plan_item.plan.community_id != community.pk:
        raise ValidationError(_("Choose one of this community's work items."))
    if entered_by is None and household is None:
        raise ValidationError(_("Identify your household first."))
    if household is not None and household.building.community_id != community.pk:
        raise ValidationError(_("This household is not in this community."))
    if entered_by is not None and not access.may_report_for(entered_by, community):
        raise PermissionDenied(_("You may not report defects in this community."))
    photos = _check_photos(photos)
    at = at or clock.now()
    day = timezone.localdate(at)
    if entered_by is None and Defect.objects.filter(household=household, created_at__gte=_day_start(day)).count() \
            >= DAILY_LIMIT:
        raise ValidationError(_("Your household has sent many reports today; please try again tomorrow or ask the "
                                "residents' committee."))
    where = route(project_item, day)
    if where is None:
        return Outcome(feedback=_as_feedback(community, project_item, text, location, household, photos, entered_by))
    deadline = day + datetime.timedelta(days=response_days())
    with transaction.atomic():
        defect = Defect(community=community, project_item=project_item, household=household, reported_by=entered_by,
                        location=location, text=text, responsible=where.responsible, company=where.company,
                        management_name=where.management_name, deadline=deadline, created_at=at)
        defect.full_clean()
        defect.save()
        event = DefectEvent.objects.create(defect=defect, kind=Kind.REPORTED, actor=entered_by, deadline=deadline,
                                           at=at)
        _attach(defect, event, photos)
    return Outcome(defect=defect)


def _as_feedback(community, project_item, text, location, household, photos, entered_by):
    """Work not accepted yet is still under construction: the contractor hears of it as feedback (its category
    'quality of the work' goes to the contractor of the project working there)."""
    from gaizao.feedback import services as feedback

    words = f"{project_item.plan_item.item.name}：{location + '，' if location else ''}{text}"[:MAX_TEXT]
    return feedback.report(community, household=household, category=feedback.Category.QUALITY, text=words,
                           photo=photos[0] if photos else None, entered_by=entered_by)


def not_accepted_message() -> str:
    return _("This work has not been accepted yet, so your report has been passed to the contractor as feedback "
             "during construction.")


def _locked(defect) -> Defect:
    return Defect.objects.select_for_update().select_related("community").get(pk=defect.pk)


def answer(actor, defect: Defect, text: str, photos=(), *, at: datetime.datetime | None = None) -> Defect:
    """The responsible party's answer (what was repaired, with photos): the reporter is asked to confirm. While they
    have not, a further answer adds to it (more photos) without moving the time it was answered."""
    if not access.may_answer(actor, defect):
        raise PermissionDenied(_("Only the party this defect was passed to may answer it."))
    text = _clean_text(text, _("Say what was done."))
    photos = _check_photos(photos)
    at = at or clock.now()
    with transaction.atomic():
        current = _locked(defect)
        if current.status == Status.CLOSED:
            raise ValidationError(_("This defect is closed."))
        if current.status != Status.ANSWERED:
            current.status, current.answered_at = Status.ANSWERED, at
            current.save(update_fields=["status", "answered_at"])
        # else: more words or photos for the answer the reporter is confirming; when it was answered (what the
        # deadline was judged against) stays the first answer's time.
        event = DefectEvent.objects.create(defect=current, kind=Kind.ANSWERED, text=text, actor=actor, at=at)
        _attach(current, event, photos)
    return current


def confirm(defect: Defect, satisfied: bool, text: str = "", *, household=None, actor=None,
            at: datetime.datetime | None = None) -> Defect:
    """The reporter's word on an answer: repaired closes it; not repaired (with a reason) opens it again with a new
    deadline."""
    if not access.may_confirm(actor, household, defect):
        raise PermissionDenied(_("Only whoever reported this defect may confirm it."))
    text = (text or "").strip()[:MAX_TEXT]
    if not satisfied and not text:
        raise ValidationError(_("Say what is still wrong."))
    at = at or clock.now()
    with transaction.atomic():
        current = _locked(defect)
        if current.status != Status.ANSWERED:
            raise ValidationError(_("There is no answer to confirm yet."))
        if satisfied:
            current.status, current.closed_at = Status.CLOSED, at
            current.save(update_fields=["status", "closed_at"])
            DefectEvent.objects.create(defect=current, kind=Kind.CONFIRMED, text=text, actor=actor, at=at)
        else:
            current.status = Status.OPEN
            current.deadline = timezone.localdate(at) + datetime.timedelta(days=response_days())
            current.save(update_fields=["status", "deadline"])
            DefectEvent.objects.create(defect=current, kind=Kind.REOPENED, text=text, actor=actor,
                                       deadline=current.deadline, at=at)
    return current


# ---- reading -------------------------------------------------------------------------------------------------------

def is_overdue(defect: Defect, day: datetime.date | None = None) -> bool:
    """Still waiting for an answer after its deadline (per the platform's day)."""
    return defect.status == Status.OPEN and defect.deadline < (day or clock.today())


def within_warranty(defect: Defect) -> bool:
    return defect.responsible == Responsible.CONTRACTOR


def responsible_name(defect: Defect) -> str:
    """The contractor, the management body, or the sub-district office, by name."""
    if defect.responsible == Responsible.CONTRACTOR and defect.company_id:
        return defect.company.name
    if defect.responsible == Responsible.MANAGEMENT and defect.management_name:
        return defect.management_name
    return defect.community.subdistrict.name


def actor_label(user) -> str:
    """Who acted, as a resident may see it: the organisation, never a person's name."""
    from gaizao.feedback.services import actor_label as feedback_actor_label

    return feedback_actor_label(user)


def with_everything(defects):
    return defects.select_related(
        "community__subdistrict", "household__building", "company", "project_item__plan_item__item",
        "project_item__project__acceptance", "reported_by__subdistrict",
    ).prefetch_related("events__actor__membership__company", "events__actor__subdistrict", "events__photos")


def redacted(defect: Defect, text: str | None = None) -> str:
    """A text as lists, exports and the API show it: mobile and ID numbers masked (as feedback does)."""
    from gaizao.feedback.services import redact

    return redact(defect.text if text is None else text)


def event_rows(defect, redact_texts: bool = False) -> list[dict]:
    """The defect's steps: who (an organisation, or 'Resident'), when, what was said, the photos."""
    return [{"kind": e.kind, "label": e.get_kind_display(), "by": actor_label(e.actor),
             "text": redacted(defect, e.text) if redact_texts else e.text, "at": e.at, "deadline": e.deadline,
             "photos": list(e.photos.all())} for e in defect.events.all()]
