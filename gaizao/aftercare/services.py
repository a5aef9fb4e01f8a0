"""Long-term management (长效管理, 改造一个、管好一个): who manages each accepted community, and which are late.

A community is accepted once a project covering it has a completion acceptance; it counts from the earliest such
acceptance (always read from `works.Acceptance`, never copied, so a corrected date moves everything with it).
An arrangement is recorded by bureau staff or the community's sub-district officer. A new arrangement replaces
the current one from its date (the old one is kept, ended on that date); a correction fixes the current one in
place. Both write audit rows under the community (with the phone masked).

A community accepted more than `AftercareSettings.overdue_days` days ago with no arrangement in place is flagged.
`management_by_subdistrict(day)` gives the dashboard's and bulletin's figures on a day.
"""

import datetime
from dataclasses import dataclass, field
from operator import itemgetter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from gaizao.accounts import scope
from gaizao.aftercare.models import AftercareSettings, ManagementArrangement
from gaizao.communities.models import Community
from gaizao.core import audit, clock
from gaizao.core.masking import mask_name, mask_phone, may_see_personal_data
from gaizao.core.queries import by_ids
from gaizao.regions.services import subdistrict_name

Kind = ManagementArrangement.Kind
FIELDS = ["kind", "body_name", "contact_name", "contact_phone", "since", "fee_per_m2_month", "collection_rate",
          "has_maintenance_fund", "fund_balance", "notes"]
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
# Checked by content, as the acceptance documents are: PDF, Office (zip) files, JPEG or PNG.
DOCUMENT_HEADS = (b"%PDF", b"PK\x03\x04", b"\xff\xd8", b"\x89PNG")


# ---- who may do what -------------------------------------------------------------------------------------------

def may_see(user) -> bool:
    """Bureau staff, leaders and sub-district officers: management after the works is their business."""
    return bool(user and user.is_authenticated and user.works_on_programme)


def may_edit(user, community) -> bool:
    """Bureau staff anywhere (a district's bureau in its district); a sub-district officer only in their own
    sub-district."""
    if not (user and user.is_authenticated and user.can_edit_census):
        return False
    return scope.covers(user, community.subdistrict_id)


def may_edit_settings(user) -> bool:
    return bool(user and user.is_authenticated and user.sees_whole_district and user.can_edit_census)


def may_see_contact(user, community) -> bool:
    """Bureau staff and the community's own sub-district officer call the managing body; others see it masked."""
    return may_see_personal_data(user) or may_edit(user, community)


def contact_for(user, arrangement) -> tuple[str, str]:
    """(contact person, phone) as this user may see them."""
    if may_see_contact(user, arrangement.community):
        return arrangement.contact_name, arrangement.contact_phone
    return mask_name(arrangement.contact_name), mask_phone(arrangement.contact_phone)


def communities_for(user):
    return Community.objects.visible_to(user) if may_see(user) else Community.objects.none()


# ---- accepted communities and their arrangement on a day ----------------------------------------------------------

def accepted_on(community, day: datetime.date | None = None) -> datetime.date | None:
    """The earliest acceptance of a project covering the community (on or before `day`), or None."""
    acceptances = community.projects.filter(acceptance__isnull=False)
    if day is not None:
        acceptances = acceptances.filter(acceptance__date__lte=day)
    return acceptances.aggregate(first=Min("acceptance__date"))["first"]


def in_place_on(day: datetime.date):
    """Arrangements in place on the day: begun by then and not yet replaced."""
    return ManagementArrangement.objects.filter(Q(since__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def accepted_communities(day: datetime.date, communities=None, projects=None):
    """Communities accepted on or before the day, annotated with `accepted_on` and the `arrangement_id`, `kind`
    and `since` of the arrangement in place that day (None when there is none). `communities`, `projects`: only
    those communities, only the communities of those projects."""
    queryset = Community.objects.all() if communities is None else communities
    if projects is not None:
        queryset = queryset.filter(pk__in=projects.values("communities"))
    current = in_place_on(day).filter(community=OuterRef("pk")).order_by("-since", "-pk")
    return (queryset.annotate(accepted_on=Min("projects__acceptance__date",
                                              filter=Q(projects__acceptance__date__lte=day)))
            .filter(accepted_on__isnull=False)
            .annotate(arrangement_id=Subquery(current.values("pk")[:1]),
                      kind=Subquery(current.values("kind")[:1]), since=Subquery(current.values("since")[:1])))


def overdue_cutoff(day: datetime.date, settings: AftercareSettings | None = None) -> datetime.date:
    """Accepted before this day and still without an arrangement: flagged."""
    settings = settings or AftercareSettings.current()
    return day - datetime.timedelta(days=settings.overdue_days)


def is_overdue(accepted: datetime.date | None, has_arrangement: bool, day: datetime.date,
               settings: AftercareSettings | None = None) -> bool:
    return accepted is not None and not has_arrangement and accepted < overdue_cutoff(day, settings)


def current_arrangement(community):
    return community.management_arrangements.filter(ended_on__isnull=True).first()


# ---- recording -------------------------------------------------------------------------------------------------

def check_document(upload) -> None:
    """An agreement is a PDF, Word or Excel file or a photo of the signed pages, at most 20 MB."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(_("%(name)s is larger than 20 MB.") % {"name": upload.name})
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(DOCUMENT_HEADS):
        raise ValidationError(_("%(name)s is not a PDF, Word, Excel or photo file.") % {"name": upload.name})


def _snapshot(arrangement) -> dict:
    data = audit.snapshot(arrangement, [*FIELDS, "ended_on"])
    data["contact_phone"] = mask_phone(arrangement.contact_phone)  # the history is read by more people
    data["agreement"] = arrangement.agreement.name.rsplit("/", 1)[-1] if arrangement.agreement else ""
    return data


def _check(actor, community, values: dict, agreement) -> datetime.date:
    """Permission and the dates every write obeys; returns the community's acceptance date."""
    if actor is not None and not may_edit(actor, community):
        raise PermissionDenied(_("Only bureau staff and the community's sub-district officer record its "
                                 "management."))
    accepted = accepted_on(community)
    if accepted is None:
        raise ValidationError(_("%(name)s has not been accepted yet; its long-term management is recorded after "
                                "the completion acceptance.") % {"name": community.name})
    since = values["since"]
    if since > clock.today():
        raise ValidationError({"since": _("The date cannot be in the future.")})
    if since < accepted:
        raise ValidationError({"since": _("The arrangement cannot begin before the acceptance (%(date)s).")
                               % {"date": accepted.isoformat()}})
    if not values.get("has_maintenance_fund"):
        values["fund_balance"] = None
    if agreement is not None:
        check_document(agreement)
    return accepted


def _apply(arrangement, values: dict, agreement) -> None:
    for name in FIELDS:
        if name in values:
            setattr(arrangement, name, values[name])
    if agreement is not None:
        arrangement.agreement = agreement


@transaction.atomic
def record_arrangement(actor, community, values: dict, *, agreement=None, reason: str = ""):
    """A new arrangement from `values["since"]`; the current one, if any, is kept and ends that day."""
    # Lock the community: two people recording at once would otherwise both find no current arrangement.
    community = Community.objects.select_for_update().get(pk=community.pk)
    _check(actor, community, values, agreement)
    previous = current_arrangement(community)
    changes = []
    if previous is not None:
        if values["since"] <= previous.since:
            raise ValidationError({"since": _("A new arrangement begins after the current one (in place since "
                                              "%(date)s); to fix the current one, correct it instead.")
                                   % {"date": previous.since.isoformat()}})
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the arrangement changes.")})
        before = _snapshot(previous)
        previous.ended_on = values["since"]
        previous.save(update_fields=["ended_on"])
        changes.append(audit.Change("update", previous, before, _snapshot(previous), parent=community))
    arrangement = ManagementArrangement(community=community, reason=reason.strip()[:300],
                                        recorded_by=actor if getattr(actor, "pk", None) else None)
    _apply(arrangement, values, agreement)
    arrangement.full_clean()
    arrangement.save()
    changes.append(audit.Change("create", arrangement, None, _snapshot(arrangement), parent=community))
    audit.record(actor, changes, reason=reason)
    return arrangement


@transaction.atomic
def correct_arrangement(actor, arrangement, values: dict, *, agreement=None, reason: str = ""):
    """Fix the current arrangement in place (a typo, a new phone number); the history keeps the change."""
    arrangement = ManagementArrangement.objects.select_for_update().select_related("community").get(
        pk=arrangement.pk)
    community = arrangement.community
    if not arrangement.is_current:
        raise ValidationError(_("Only the current arrangement can be corrected; earlier ones are history."))
    _check(actor, community, values, agreement)
    previous = (community.management_arrangements.filter(ended_on__isnull=False).order_by("-since", "-pk")
                .first())
    changes = []
    if previous is not None and values["since"] != arrangement.since:
        if values["since"] <= previous.since:
            raise ValidationError({"since": _("The arrangement begins after the one before it (in place since "
                                              "%(date)s).") % {"date": previous.since.isoformat()}})
        before = _snapshot(previous)
        previous.ended_on = values["since"]
        previous.save(update_fields=["ended_on"])
        changes.append(audit.Change("update", previous, before, _snapshot(previous), parent=community))
    before = _snapshot(arrangement)
    _apply(arrangement, values, agreement)
    arrangement.full_clean()
    arrangement.save()
    changes.append(audit.Change("update", arrangement, before, _snapshot(arrangement), parent=community))
    audit.record(actor, changes, reason=reason)
    return arrangement


@transaction.atomic
def save_settings(actor, values: dict) -> AftercareSettings:
    """The bureau's rules; changed return-visit intervals move the visits nobody has answered yet."""
    if actor is not None and not may_edit_settings(actor):
        raise PermissionDenied(_("Only bureau staff change these settings."))
    current = AftercareSettings.objects.select_for_update().filter(pk=AftercareSettings.ONLY).first()
    settings = current or AftercareSettings(pk=AftercareSettings.ONLY)
    names = ["overdue_days", "first_visit_months", "second_visit_months", "visit_open_days"]
    before = audit.snapshot(settings, names) if current else None
    for name in names:
        setattr(settings, name, values.get(name))
    settings.updated_by = actor if getattr(actor, "pk", None) else None
    settings.full_clean()
    settings.save()
    audit.record(actor, [audit.Change("update" if current else "create", settings, before,
                                      audit.snapshot(settings, names))])
    from gaizao.aftercare.visits import ensure_return_visits

    ensure_return_visits()
    return settings


# ---- figures for the dashboard and the bulletin ----------------------------------------------------------------

@dataclass
class SubdistrictRow:
    id: int
    code: str
    name: str
    accepted: int = 0
    arranged: int = 0
    overdue: int = 0
    kinds: dict = field(default_factory=dict)

    @property
    def share(self) -> float | None:
        return self.arranged / self.accepted if self.accepted else None

    @property
    def without(self) -> int:
        return self.accepted - self.arranged


def _accepted_with_arrangement(day: datetime.date, communities=None, projects=None) -> tuple[list, dict, dict]:
    """What the figures need of `accepted_communities(...)`, from the projects' kept shape (`works.structure`):
    that query joined every community to its projects and looked up the arrangement three times per accepted
    community (115 ms of the whole platform's bulletin at 50,000 communities). ([(code, name, sub-district id,
    accepted on, community id)] by code, {community id: (arrangement id, kind) in place}, {sub-district id: (code,
    name, district id, code, name)})."""
    from gaizao.works import structure

    scope = None
    if projects is not None:
        ids = list(projects.order_by().values_list("pk", flat=True))
        shape = structure.current(ids)
        scope = {community for pk in ids for community in shape.communities_of.get(pk, ())}
    else:
        shape = structure.current()
    if communities is not None:
        chosen = set(communities.order_by().values_list("pk", flat=True))
        scope = chosen if scope is None else scope & chosen
    rows = []
    # Accepted from the earliest acceptance of any project covering it, once that is on or before the day.
    first_accepted = shape.first_accepted
    for community in (first_accepted if scope is None else scope):
        accepted = first_accepted.get(community)
        if accepted is not None and accepted <= day:
            code, name, sub_id = shape.communities[community]
            rows.append((code, name, sub_id, accepted, community))
    rows.sort()
    # The arrangement in place that day: the latest begun (then the latest recorded), as `accepted_communities`.
    current = {community_id: (pk, kind) for community_id, pk, kind in (
        by_ids(in_place_on(day), [row[4] for row in rows], field="community_id").order_by("since", "pk")
        .values_list("community_id", "pk", "kind"))}
    return rows, current, shape.areas


def management_by_subdistrict(day: datetime.date, communities=None, projects=None) -> dict:
    """On the day: accepted communities, those with an arrangement in place and their share, by sub-district
    (highest share first) and for the whole scope, and the flagged ones (longest waiting first).

    The sub-districts' accepted, arranged and overdue counts add up to the totals. Over several districts (a
    city's, a province's or the whole platform's figures) the rows are the districts (`level`), as the bulletin's
    ranking, and a flagged community's sub-district is named with its district."""
    settings = AftercareSettings.current()
    cutoff = overdue_cutoff(day, settings)
    overdue_after = datetime.timedelta(days=settings.overdue_days)
    rows_by_sub: dict[int, SubdistrictRow] = {}
    districts: dict[int, SubdistrictRow] = {}
    total = SubdistrictRow(0, "", _("Total"))
    flagged = []
    rows, current, areas = _accepted_with_arrangement(day, communities, projects)
    for code, name, sub_id, accepted, community_id in rows:
        sub_code, sub_name, district_id, district_code, district_name = areas[sub_id]
        sub = rows_by_sub.get(sub_id) or rows_by_sub.setdefault(sub_id, SubdistrictRow(sub_id, sub_code, sub_name))
        district = districts.get(district_id) or districts.setdefault(
            district_id, SubdistrictRow(district_id, district_code, district_name))
        arrangement = current.get(community_id)
        overdue = arrangement is None and accepted < cutoff
        for bucket in (sub, district, total):
            bucket.accepted += 1
            if arrangement is not None:
                bucket.arranged += 1
                bucket.kinds[arrangement[1]] = bucket.kinds.get(arrangement[1], 0) + 1
            bucket.overdue += overdue
        if overdue:
            flagged.append({"code": code, "name": name, "subdistrict": sub_name, "district": district_name,
                            "accepted_on": accepted, "days": (day - accepted).days,
                            "due": accepted + overdue_after})
    flagged.sort(key=itemgetter("accepted_on"))  # longest waiting first; the rows came by code, and stay so
    wide = len(districts) > 1
    for f in flagged:
        f["subdistrict"] = subdistrict_name(f["subdistrict"], f["district"], wide)
    subdistricts = sorted((districts if wide else rows_by_sub).values(), key=lambda s: (-(s.share or 0), s.code))
    labels = dict(Kind.choices)
    return {"day": day, "overdue_days": settings.overdue_days, "subdistricts": subdistricts, "total": total,
            "level": "district" if wide else "subdistrict",
            "flagged": flagged,
            "kinds": [{"kind": kind, "label": str(labels[kind]), "count": total.kinds.get(kind, 0)}
                      for kind in Kind.values]}
