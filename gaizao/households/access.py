"""Who manages a community's residents' work, and the one-time codes residents identify with.

Scope: bureau staff everywhere (a district's bureau in its district), a sub-district officer in their own
sub-district, a committee member in the communities of their committees; a leader sees (read only) everything.

Codes: six digits handed out on paper by the committee (the channel is the setting RESIDENT_CODE_CHANNEL; no
SMS gateway). Only a hash is stored; the printable sheet right after issuing is the only place a code is shown.
A code is valid for 30 days and for one use; five wrong codes for a household within 15 minutes lock that
household's codes for the rest of the window.
"""

import datetime
import secrets
import unicodedata
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from gaizao.accounts import scope
from gaizao.communities.models import Community
from gaizao.households.models import AccessCode, CommitteeMember, Household

CODE_LENGTH = 6


VALID_FOR = datetime.timedelta(days=30)


MAX_WRONG = 5


LOCK_WINDOW = datetime.timedelta(minutes=15)


CHANNELS = ("committee",)


def code_channel() -> str:
    channel = getattr(settings, "RESIDENT_CODE_CHANNEL", "committee")
    if channel not in CHANNELS:
        raise ImproperlyConfigured(f"RESIDENT_CODE_CHANNEL must be one of {CHANNELS}, not {channel!r}.")
    return channel


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_committee_member(user, community) -> bool:
    return _active(user) and CommitteeMember.objects.filter(user=user, committee__community=community).exists()


def is_bureau_or_committee(user, community) -> bool:
    """Bureau staff where they work (anywhere, or their district), or a member of this community's committee: who
    enters paper ballots and may see a household's full numbers with a reason. `community`: one or its id."""
    if not _active(user):
        return False
    if scope.is_bureau(user):
        if user.sees_whole_district:
            return True
        community_id = getattr(community, "pk", community)
        subdistrict_id = Community.objects.filter(pk=community_id).values_list("subdistrict_id", flat=True).first()
        return scope.runs(user, subdistrict_id)
    return is_committee_member(user, community)


def managed_communities(user):
    """The communities whose residents' pages this user may open."""
    if not _active(user):
        return Community.objects.none()
    if user.sees_whole_district:
        return Community.objects.all()
    if scope.is_district_bureau(user):
        return Community.objects.visible_to(user)
    if user.role == user.Role.SUBDISTRICT_OFFICER and user.subdistrict_id:
        return Community.objects.filter(subdistrict_id=user.subdistrict_id)
    if user.role == user.Role.COMMITTEE_MEMBER:
        return Community.objects.filter(committees__members__user=user).distinct()
    return Community.objects.none()


def get_managed_community(user, code) -> Community:
    """The community, or a 404 when the user may not see it (no hint that it exists)."""
    community = managed_communities(user).select_related("subdistrict__parent").filter(code=code).first()
    if community is None:
        raise Http404
    return community


def is_staff_for(user, community) -> bool:
    """Bureau staff (of the whole platform, or of the community's district), or the officer of the community's
    sub-district: they set up surveys and committees."""
    return scope.covers(user, community.subdistrict_id)


def may_work_for(user, community) -> bool:
    """Issue codes and enter paper forms: staff of the community, or a member of its committee."""
    return is_staff_for(user, community) or (
        _active(user) and user.role == user.Role.COMMITTEE_MEMBER and is_committee_member(user, community))


def works_with_residents(user) -> bool:
    """Staff who deal with residents somewhere (feedback, notices): the district's staff, sub-district officers,
    contractors and committee members. What each of them sees is narrowed by their own scope."""
    return _active(user) and (user.sees_whole_district or scope.is_district_bureau(user) or user.role in (
        user.Role.SUBDISTRICT_OFFICER, user.Role.CONTRACTOR, user.Role.COMMITTEE_MEMBER))


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_LENGTH):0{CODE_LENGTH}d}"


@dataclass
class IssuedCode:
    household: Household
    code: str  # in clear: shown once on the printable sheet, never stored
    expires_at: datetime.datetime


def issue_codes(actor, households) -> list[IssuedCode]:
    """A new code for each household; earlier unused codes of these households stop working."""
    code_channel()
    now = timezone.now()
    expires = now + VALID_FOR
    households = list(households)
    issued = [IssuedCode(h, _new_code(), expires) for h in households]
    with transaction.atomic():
        AccessCode.objects.filter(household__in=households, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now)
        AccessCode.objects.bulk_create([
            AccessCode(household=item.household, code_hash=make_password(item.code), created_by=actor,
                       expires_at=expires)
            for item in issued
        ], batch_size=500)
    for household in households:
        cache.delete(_wrong_key(household.pk))
    return issued


def valid_codes(household):
    return AccessCode.objects.filter(household=household, used_at__isnull=True, expires_at__gt=timezone.now())


class Verdict(Enum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"


def _wrong_key(household_id) -> str:
    return f"gaizao:resident-code-wrong:{household_id}"


def normalise(code: str) -> str:
    """Full-width digits (from a Chinese input method) and spaces are accepted."""
    return "".join(unicodedata.normalize("NFKC", code or "").split())


def is_locked(household) -> bool:
    return cache.get(_wrong_key(household.pk), 0) >= MAX_WRONG


def _count_wrong(household) -> None:
    key = _wrong_key(household.pk)
    cache.add(key, 0, timeout=int(LOCK_WINDOW.total_seconds()))
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=int(LOCK_WINDOW.total_seconds()))


def verify(household, code: str) -> Verdict:
    """Check a code and use it up. Locked households are refused before the code is even looked at."""
    if is_locked(household):
        return Verdict.LOCKED
    code = normalise(code)
    if len(code) == CODE_LENGTH and code.isdigit():
        for access in valid_codes(household):
            if check_password(code, access.code_hash):
                # Single use, also when two phones send the same code at once.
                used = AccessCode.objects.filter(pk=access.pk, used_at__isnull=True).update(used_at=timezone.now())
                if used:
                    cache.delete(_wrong_key(household.pk))
                    return Verdict.OK
    _count_wrong(household)
    return Verdict.LOCKED if is_locked(household) else Verdict.WRONG


def code_status(households) -> dict[int, datetime.datetime]:
    """Household id → expiry of its valid unused code, for the staff list."""
    now = timezone.now()
    found = {}
    for household_id, expires in (AccessCode.objects.filter(household__in=households, used_at__isnull=True,
                                                            expires_at__gt=now)
                                  .values_list("household_id", "expires_at")):
        found[household_id] = max(expires, found.get(household_id, expires))
    return found


def committee_communities(user):
    """The communities whose residents' committee the user sits on."""
    if user is None or not user.is_authenticated:
        return Community.objects.none()
    return Community.objects.filter(committees__members__user=user).distinct()
