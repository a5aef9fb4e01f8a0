"""Residents' feedback (诉求): routed to whoever is responsible, due by a date, closed only by the resident.

The life of an item, each step a FeedbackEvent:

    reported ──► open ──answer──► answered ──confirm(satisfied)──► closed
                  ▲                   │
                  └──confirm(not)─────┘   (a new due date)
                                      └──close_stale (no word from the resident in time)──► closed

Routing: quality, safety and noise go to the contractor of the most recently started project that covers the
community (the sub-district office when no project has started there); water, power, heating and gas go to the
utility (管线单位, no company of ours); anything else to the sub-district office.

Settings: FEEDBACK_DUE_DAYS (7), FEEDBACK_UTILITY_DUE_DAYS (3), FEEDBACK_CONFIRM_DAYS (7),
FEEDBACK_DAILY_LIMIT (10 reports a household a day).
"""

import datetime
import re
import uuid
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gaizao.accounts import scope
from gaizao.communities.models import Community
from gaizao.core import clock
from gaizao.core.masking import mask_name
from gaizao.feedback import services as service
from gaizao.feedback.models import Feedback, FeedbackEvent
from gaizao.households.access import committee_communities, works_with_residents
from gaizao.households.models import CommitteeMember, Household

Category, Responsible, Status = Feedback.Category, Feedback.Responsible, Feedback.Status
CONTRACTOR_CATEGORIES = {Category.QUALITY, Category.SAFETY, Category.NOISE}


MAX_TEXT = 2000


PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}


class Event:
    """FeedbackEvent.kind values, and the status each one leaves the item in."""

    REPORTED = "reported"
    ANSWERED = "answered"
    REOPENED = "reopened"
    CONFIRMED = "confirmed"
    TIMED_OUT = "timed_out"

    STATUS_AFTER = {REPORTED: Status.OPEN, ANSWERED: Status.ANSWERED, REOPENED: Status.OPEN,
                    CONFIRMED: Status.CLOSED, TIMED_OUT: Status.CLOSED}
    STARTS_CLOCK = {REPORTED, REOPENED}


def event_label(kind: str) -> str:
    return {
        Event.REPORTED: _("Reported"),
        Event.ANSWERED: _("Answered"),
        Event.REOPENED: _("Not resolved: reopened by the resident"),
        Event.CONFIRMED: _("Resolved: confirmed by the resident"),
        Event.TIMED_OUT: _("Closed: the resident did not reply in time"),
    }.get(kind, kind)


def due_days(category: str) -> int:
    if category == Category.UTILITIES:
        return int(getattr(settings, "FEEDBACK_UTILITY_DUE_DAYS", 3))
    return int(getattr(settings, "FEEDBACK_DUE_DAYS", 7))


def confirm_days() -> int:
    return int(getattr(settings, "FEEDBACK_CONFIRM_DAYS", 7))


def daily_limit() -> int:
    return int(getattr(settings, "FEEDBACK_DAILY_LIMIT", 10))


# Mainland mobile numbers and resident ID numbers typed into a report: shown masked outside the item's own page.
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")


_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])")


def redact(text: str, names=()) -> str:
    """The text with any mobile or ID number masked (138****5678, 1408**********1234), and these names (the
    household's owners, when a resident typed them in) as 张**."""
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}{'*' * 10}{m.group(2)}", text or "")
    text = _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return text


def owner_names(feedback: Feedback) -> list[str]:
    """Names of the reporting household's owners (prefetch household__ownerships__owner for lists)."""
    if feedback.household_id is None:
        return []
    return [o.owner.name for o in feedback.household.ownerships.all()]


def redacted_text(feedback: Feedback, text: str | None = None) -> str:
    """An item's text (or one of its events' texts) as shown in lists, exports and the API."""
    return redact(feedback.text if text is None else text, owner_names(feedback))


def _company_id(user):
    membership = getattr(user, "membership", None) if user.role == user.Role.CONTRACTOR else None
    return membership.company_id if membership else None


def visible_to(user):
    """Feedback a staff user may see: the bureau all (a district's bureau its district's), an officer their
    sub-district's, a contractor their company's, a committee member their community's. Nobody else sees any."""
    items = Feedback.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return items.none()
    if user.sees_whole_district:
        return items
    if scope.is_district_bureau(user):
        return items.filter(community__in=Community.objects.visible_to(user))
    if user.role == user.Role.SUBDISTRICT_OFFICER and user.subdistrict_id:
        return items.filter(community__subdistrict_id=user.subdistrict_id)
    if user.role == user.Role.CONTRACTOR:
        company = _company_id(user)
        return items.filter(company_id=company) if company else items.none()
    if user.role == user.Role.COMMITTEE_MEMBER:
        return items.filter(community__in=committee_communities(user))
    return items.none()


def may_see_feedback(user) -> bool:
    return works_with_residents(user)


def may_answer(user, feedback: Feedback) -> bool:
    """The responsible party: a member of the contractor it went to, an officer of the community's sub-district
    (for the sub-district's own items and the utilities', whose answer the office passes on), or the bureau."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if scope.is_bureau(user):
        return scope.runs(user, feedback.community.subdistrict_id)
    if feedback.responsible == Responsible.CONTRACTOR:
        return user.role == user.Role.CONTRACTOR and feedback.company_id is not None \
            and _company_id(user) == feedback.company_id
    return (user.role == user.Role.SUBDISTRICT_OFFICER and user.subdistrict_id is not None
            and user.subdistrict_id == feedback.community.subdistrict_id)


def may_report_for(user, community: Community) -> bool:
    """Staff and committee members who may enter a report for a household (a neighbour without a phone)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if scope.is_bureau(user) or user.role == user.Role.SUBDISTRICT_OFFICER:
        return scope.covers(user, community.subdistrict_id)
    if user.role == user.Role.COMMITTEE_MEMBER:
        return CommitteeMember.objects.filter(user=user, committee__community=community).exists()
    return False


def actor_label(user) -> str:
    """Who acted, as a resident may see it: the organisation, never a person's name."""
    if user is None:
        return _("Resident")
    if user.role == user.Role.CONTRACTOR:
        membership = getattr(user, "membership", None)
        return membership.company.name if membership else _("Contractor")
    if user.role == user.Role.SUBDISTRICT_OFFICER:
        return user.subdistrict.name if user.subdistrict_id else _("Sub-district office")
    if user.role == user.Role.COMMITTEE_MEMBER:
        return _("Residents' committee")
    if user.role in (user.Role.BUREAU, user.Role.LEADER) or user.is_superuser:
        return _("Housing and construction bureau")
    return _("Resident")


def responsible_name(feedback: Feedback) -> str:
    """The contractor's name, the sub-district office's name, or 管线单位 for the utility."""
    if feedback.responsible == Responsible.CONTRACTOR and feedback.company_id:
        return feedback.company.name
    if feedback.responsible == Responsible.UTILITY:
        return _("Utility company")
    return feedback.community.subdistrict.name


def household_label(household: Household | None) -> str:
    """A household as the unit and room only (2单元301): never an owner's name."""
    return str(household) if household is not None else ""


def is_overdue(feedback: Feedback, day: datetime.date | None = None) -> bool:
    day = day or clock.today()
    return feedback.status == Status.OPEN and feedback.due_date < day


def route(community: Community, category: str):
    """(responsible, company) for a new report in this community."""
    from gaizao.works.models import Project

    if category in CONTRACTOR_CATEGORIES:
        project = (Project.objects.filter(communities=community, actual_start__isnull=False)
                   .select_related("contractor").order_by("-actual_start", "-pk").first())
        if project is not None:
            return Responsible.CONTRACTOR, project.contractor
        return Responsible.SUBDISTRICT, None
    if category == Category.UTILITIES:
        return Responsible.UTILITY, None
    return Responsible.SUBDISTRICT, None


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Say what is wrong."))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("Please keep it under %(n)s characters.") % {"n": MAX_TEXT})
    return text


def report(community: Community, *, household: Household | None, category: str, text: str, photo=None,
           entered_by=None) -> Feedback:
    """A new item, routed and given a due date. `entered_by` is the committee member or officer who typed it in
    for the household (None when the resident did it on their phone). The photo must be checked already
    (works.photos.check_image)."""
    if category not in Category.values:
        raise ValidationError(_("Choose what kind of problem it is."))
    text = _clean_text(text)
    if household is not None and household.building.community_id != community.pk:
        raise ValidationError(_("This household is not in this community."))
    if entered_by is None and household is None:
        raise ValidationError(_("Identify your household first."))
    if entered_by is not None and not may_report_for(entered_by, community):
        raise PermissionDenied(_("You may not enter feedback for this community."))
    if entered_by is None:
        today_start = timezone.make_aware(datetime.datetime.combine(clock.today(), datetime.time.min))
        if Feedback.objects.filter(household=household, created_at__gte=today_start).count() >= daily_limit():
            raise ValidationError(_("Your household has sent many reports today; please try again tomorrow or "
                                    "ask the residents' committee."))
    responsible, company = route(community, category)
    with transaction.atomic():
        feedback = Feedback(community=community, household=household, category=category, text=text,
                            responsible=responsible, company=company,
                            due_date=clock.today() + datetime.timedelta(days=due_days(category)))
        if photo:
            # A random name: the resident's file name can say who they are, and must not make the file guessable.
            suffix = Path(photo.name or "").suffix.lower()
            photo.name = uuid.uuid4().hex + (suffix if suffix in PHOTO_SUFFIXES else ".jpg")
            feedback.photo = photo
        feedback.save()
        note = _("Entered for the household by %(who)s.") % {"who": actor_label(entered_by)} if entered_by else ""
        FeedbackEvent.objects.create(feedback=feedback, kind=Event.REPORTED, text=note, actor=entered_by)
    return feedback


def _locked(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().select_related("community").get(pk=feedback.pk)


def answer(actor, feedback: Feedback, text: str) -> Feedback:
    """The responsible party's answer: the item waits for the resident to confirm."""
    if not may_answer(actor, feedback):
        raise PermissionDenied(_("Only the party responsible for this item may answer it."))
    text = _clean_text(text)
    with transaction.atomic():
        current = _locked(feedback)
        if current.status == Status.CLOSED:
            raise ValidationError(_("This item is closed."))
        current.status = Status.ANSWERED
        current.save(update_fields=["status"])
        FeedbackEvent.objects.create(feedback=current, kind=Event.ANSWERED, text=text, actor=actor)
    return current


def confirm(household: Household, feedback: Feedback, satisfied: bool, text: str = "") -> Feedback:
    """The resident's word on an answer: satisfied closes the item, not satisfied sends it back with a new due
    date."""
    if household is None or feedback.household_id != household.pk:
        raise PermissionDenied(_("Only the household that reported this may confirm it."))
    text = (text or "").strip()[:MAX_TEXT]
    if not satisfied and not text:
        raise ValidationError(_("Say what is still wrong."))
    with transaction.atomic():
        current = _locked(feedback)
        if current.status != Status.ANSWERED:
            raise ValidationError(_("There is no answer to confirm yet."))
        if satisfied:
            current.status, current.closed_at = Status.CLOSED, clock.now()
            current.save(update_fields=["status", "closed_at"])
            FeedbackEvent.objects.create(feedback=current, kind=Event.CONFIRMED, text=text)
        else:
            current.status = Status.OPEN
            current.due_date = clock.today() + datetime.timedelta(days=due_days(current.category))
            current.save(update_fields=["status", "due_date"])
            FeedbackEvent.objects.create(feedback=current, kind=Event.REOPENED, text=text)
    return current


def close_stale(days: int | None = None, now: datetime.datetime | None = None) -> int:
    """Close answered items the resident has not confirmed within `days` of the last answer. Returns how many."""
    days = confirm_days() if days is None else days
    now = now or clock.now()
    cutoff = now - datetime.timedelta(days=days)
    stale = (Feedback.objects.filter(status=Status.ANSWERED)
             .annotate(answered_at=Max("events__at", filter=Q(events__kind=Event.ANSWERED)))
             .filter(answered_at__lte=cutoff).values_list("pk", flat=True))
    closed = 0
    for pk in list(stale):
        with transaction.atomic():
            # Only if still answered: the resident may have confirmed a moment ago.
            if Feedback.objects.filter(pk=pk, status=Status.ANSWERED).update(status=Status.CLOSED, closed_at=now):
                FeedbackEvent.objects.create(
                    feedback_id=pk, kind=Event.TIMED_OUT,
                    text=_("No reply from the resident within %(n)s days of the answer.") % {"n": days})
                closed += 1
    return closed


def _communities_of(scope):
    """Communities from a queryset of projects or of communities (or any iterable of either)."""
    from gaizao.works.models import Project

    model = getattr(scope, "model", None)
    if model is Project:
        return Community.objects.filter(projects__in=scope).distinct()
    if model is Community:
        return scope
    objects = list(scope)
    ids = [getattr(obj, "pk", obj) for obj in objects]
    if objects and isinstance(objects[0], Project):
        return Community.objects.filter(projects__in=ids).distinct()
    return Community.objects.filter(pk__in=ids)


def _state_on(feedback: Feedback, day_end: datetime.datetime):
    """(status, due date) of an item at the end of a day, replayed from its events when it changed since."""
    events = [e for e in feedback.events.all() if e.kind in Event.STATUS_AFTER]
    if not any(e.at >= day_end for e in events):
        return feedback.status, feedback.due_date
    past = [e for e in events if e.at < day_end]
    if not past:
        return None, None
    status = Event.STATUS_AFTER[past[-1].kind]
    started = [e for e in past if e.kind in Event.STARTS_CLOCK]
    start = timezone.localdate(started[-1].at) if started else timezone.localdate(feedback.created_at)
    return status, start + datetime.timedelta(days=due_days(feedback.category))


FIGURES_STAMP = "feedback.figures"  # changed by every write of feedback (see `gaizao.core.stamps`)


def figures_models() -> list:
    """What `counts` reads besides the projects' shape."""
    return [Feedback, FeedbackEvent]


def _community_ids_of(scope):
    """`_communities_of(scope)` as a subquery of ids: for projects, their links alone (joining every community
    to find them, then again for the grouping, was most of the whole platform's feedback counts)."""
    from gaizao.works.models import Project

    if getattr(scope, "model", None) is Project:
        return Project.communities.through.objects.filter(project__in=scope).values("community_id")
    return _communities_of(scope).values("pk")


def counts(scope, day: datetime.date | None = None) -> dict:
    """Open and overdue items on `day` for projects' or communities' feedback, per sub-district and in total.

    Open: not closed (waiting for an answer, or answered and waiting for the resident). Overdue: still waiting
    for an answer after its due date. Returns {"district": {"open", "overdue"}, "subdistricts": {id: {...}}}.
    """
    day = day or clock.today()
    day_end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    candidates = (Feedback.objects.filter(community__in=_community_ids_of(scope), created_at__lt=day_end)
                  .exclude(closed_at__lt=day_end))
    # Only items whose status changed after the day are replayed from their events; the others stand as they are.
    # Reading every open item with its events took seconds for a province (5,000 items at 10,000 communities).
    # (Events after the day, whatever their item: the scope is applied once, to the candidates. Nesting it here
    # too made PostgreSQL plan the scope's subqueries twice, 50 ms of a province's bulletin.)
    changed = (FeedbackEvent.objects.filter(at__gte=day_end, kind__in=list(Event.STATUS_AFTER))
               .values("feedback_id"))
    per_sub = defaultdict(lambda: {"open": 0, "overdue": 0})
    total = {"open": 0, "overdue": 0}

    def add(sub_id, sub_code, sub_name, n_open, n_overdue):
        bucket = per_sub[sub_id]
        bucket.update(id=sub_id, code=sub_code or "", name=sub_name)
        for target in (bucket, total):
            target["open"] += n_open
            target["overdue"] += n_overdue

    for item in candidates.filter(pk__in=changed).select_related("community__subdistrict").prefetch_related("events"):
        status, due = _state_on(item, day_end)
        if status is not None and status != Status.CLOSED:
            sub = item.community.subdistrict
            add(sub.pk, sub.code, sub.name, 1, int(status == Status.OPEN and due < day))
    # The others stand as they are: counted by sub-district in the database (a province's 5,000 open items were
    # read one by one).
    for row in (candidates.exclude(pk__in=changed).exclude(status=Status.CLOSED).order_by()
                .values("community__subdistrict_id", "community__subdistrict__code", "community__subdistrict__name")
                .annotate(n=Count("pk"), late=Count("pk", filter=Q(status=Status.OPEN, due_date__lt=day)))):
        add(row["community__subdistrict_id"], row["community__subdistrict__code"],
            row["community__subdistrict__name"], row["n"], row["late"])
    return {"day": day, "district": total, "subdistricts": dict(per_sub)}


def with_everything(items):
    return items.select_related("community__subdistrict", "household__building", "company").prefetch_related(
        "events__actor__membership__company", "events__actor__subdistrict", "household__ownerships__owner")


def event_rows(item, redacted: bool):
    return [{"kind": e.kind, "label": service.event_label(e.kind), "by": service.actor_label(e.actor),
             "text": service.redacted_text(item, e.text) if redacted else e.text, "at": e.at}
            for e in item.events.all()]
