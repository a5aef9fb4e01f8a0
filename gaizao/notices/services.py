"""Notices (公告): announcements to a community, a sub-district or the whole district.

Construction schedules, water and power cuts, seasonal advice (templates in ``seasonal.py``). Notice text is
plain text: pages escape it and keep its line breaks.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gaizao.accounts import scope
from gaizao.communities.models import Community
from gaizao.core import audit, clock
from gaizao.notices.models import Notice
from gaizao.notices.seasonal import PLACEHOLDER
from gaizao.regions.models import Area


def _current(notices, now=None):
    now = now or clock.now()
    return notices.filter(published_at__lte=now).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))


_LEVELS_ABOVE = 4  # sub-district, district, city, province


def for_communities(communities):
    """Notices addressed to these communities or to any area above them (sub-district, district, city …)."""
    areas = set(communities.values_list("subdistrict_id", flat=True).distinct())
    level = set(areas)
    for _level in range(_LEVELS_ABOVE - 1):
        level = set(Area.objects.filter(pk__in=level, parent__isnull=False).values_list("parent_id", flat=True))
        if not level:
            break
        areas |= level
    return Notice.objects.filter(Q(community__in=communities) | Q(area__in=areas))


def for_community(community: Community, now=None):
    """What a resident of this community reads now: notices in force, newest first."""
    notices = for_communities(Community.objects.filter(pk=community.pk))
    return _current(notices, now).select_related("area", "community").order_by("-published_at", "-pk")


def visible_to(user):
    """Notices a staff user sees: all for the bureau; those reaching their communities for everyone else."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Notice.objects.none()
    if user.sees_whole_district:
        return Notice.objects.all()
    if scope.is_district_bureau(user):
        return for_communities(Community.objects.visible_to(user)) | Notice.objects.filter(area__in=_own_areas(user))
    if user.role == user.Role.SUBDISTRICT_OFFICER and user.subdistrict_id:
        own = Notice.objects.filter(Q(area_id=user.subdistrict_id) | Q(area_id=user.subdistrict.parent_id))
        return for_communities(Community.objects.filter(subdistrict_id=user.subdistrict_id)) | own
    if user.role == user.Role.CONTRACTOR:
        membership = getattr(user, "membership", None)
        if membership is None:
            return Notice.objects.none()
        return for_communities(Community.objects.filter(projects__contractor_id=membership.company_id).distinct())
    if user.role == user.Role.COMMITTEE_MEMBER:
        from gaizao.households.access import committee_communities

        return for_communities(committee_communities(user))
    return Notice.objects.none()


def may_publish(user, *, area: Area | None = None, community: Community | None = None) -> bool:
    """The bureau to anyone (a district's bureau in its district); a sub-district officer to their sub-district or
    one of its communities."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if scope.is_district_bureau(user):
        if community is not None:
            return scope.runs(user, community.subdistrict_id)
        return area is not None and _own_areas(user).filter(pk=area.pk).exists()
    if user.is_superuser or user.role == user.Role.BUREAU:
        return True
    if user.role != user.Role.SUBDISTRICT_OFFICER or not user.subdistrict_id:
        return False
    if community is not None:
        return community.subdistrict_id == user.subdistrict_id
    return area is not None and area.pk == user.subdistrict_id


def _own_areas(user):
    """A district's bureau's district(s) and their sub-districts: the areas it addresses notices to."""
    districts = scope.districts_for(user)
    return Area.objects.filter(Q(pk__in=districts) | Q(parent__in=districts))


def may_publish_any(user) -> bool:
    if scope.is_district_bureau(user):
        return True
    return may_publish(user, area=getattr(user, "subdistrict", None)) if user and user.is_authenticated else False


def audiences_for(user) -> list[tuple[str, str]]:
    """The audiences a user may address, as (value, label): area:<id> or community:<id>."""
    if not may_publish_any(user):
        return []
    choices = []
    if scope.is_district_bureau(user):
        areas = _own_areas(user)
        communities = Community.objects.visible_to(user).order_by("code")
    elif user.is_superuser or user.role == user.Role.BUREAU:
        areas = Area.objects.filter(level__in=[Area.Level.DISTRICT, Area.Level.SUBDISTRICT]).order_by("code", "name")
        communities = Community.objects.select_related("subdistrict").order_by("code")
    else:
        areas = Area.objects.filter(pk=user.subdistrict_id)
        communities = Community.objects.filter(subdistrict_id=user.subdistrict_id).order_by("code")
    for area in sorted(areas, key=lambda a: (a.level != Area.Level.DISTRICT, a.code or "", a.name)):
        label = _("The district: %(name)s") if area.level == Area.Level.DISTRICT else _("Sub-district: %(name)s")
        choices.append((f"area:{area.pk}", label % {"name": area.name}))
    for community in communities:
        choices.append((f"community:{community.pk}", _("Community: %(name)s") % {"name": community.name}))
    return choices


def parse_audience(value: str):
    """'area:3' → (Area, None); 'community:7' → (None, Community); anything else raises ValidationError."""
    kind, _sep, pk = (value or "").partition(":")
    if pk.isdigit():
        if kind == "area":
            area = Area.objects.filter(pk=pk, level__in=[Area.Level.DISTRICT, Area.Level.SUBDISTRICT]).first()
            if area is not None:
                return area, None
        if kind == "community":
            community = Community.objects.filter(pk=pk).first()
            if community is not None:
                return None, community
    raise ValidationError(_("Choose who the notice is for."))


def audience_label(notice: Notice) -> str:
    if notice.community_id:
        return notice.community.name
    if notice.area.level == Area.Level.DISTRICT:
        return _("The whole district (%(name)s)") % {"name": notice.area.name}
    return notice.area.name


def state(notice: Notice, now=None) -> str:
    now = now or clock.now()
    if notice.published_at > now:
        return "scheduled"
    if notice.valid_until is not None and notice.valid_until <= now:
        return "ended"
    return "current"


def _snapshot(notice):
    return audit.snapshot(notice, ["title", "body", "area", "community", "published_at", "valid_until"])


def publish(actor, *, title: str, body: str, area: Area | None = None, community: Community | None = None,
            published_at: datetime.datetime | None = None, valid_until: datetime.datetime | None = None) -> Notice:
    if (area is None) == (community is None):
        raise ValidationError(_("Choose who the notice is for."))
    if not may_publish(actor, area=area, community=community):
        raise PermissionDenied(_("You may not publish notices to this audience."))
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise ValidationError(_("A notice needs a title and a text."))
    if PLACEHOLDER in title or PLACEHOLDER in body:
        raise ValidationError(_("Fill in the parts marked 【请填写…】 first."))
    published_at = published_at or clock.now()
    if valid_until is not None and valid_until <= published_at:
        raise ValidationError(_("The notice must end after it is published."))
    with transaction.atomic():
        notice = Notice.objects.create(title=title[:200], body=body, area=area, community=community,
                                       published_at=published_at, valid_until=valid_until, created_by=actor)
        audit.record(actor, [audit.Change("create", notice, None, _snapshot(notice),
                                          parent=community if community is not None else area)])
    return notice


def may_end(user, notice: Notice) -> bool:
    return may_publish(user, area=notice.area, community=notice.community)


def end(actor, notice: Notice) -> Notice:
    """Take a notice down now (it stays in the staff's list as ended)."""
    if not may_end(actor, notice):
        raise PermissionDenied(_("You may not change this notice."))
    before = _snapshot(notice)
    now = clock.now()
    with transaction.atomic():
        if notice.published_at > now:  # a scheduled notice is called off before anyone saw it
            notice.published_at = now
        notice.valid_until = now
        notice.save(update_fields=["published_at", "valid_until"])
        audit.record(actor, [audit.Change("update", notice, before, _snapshot(notice))])
    return notice
