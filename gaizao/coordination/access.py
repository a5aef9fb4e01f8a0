"""Who sees and does what in the joint meeting's records.

- Bureau staff (and superusers) record meetings, items and utilities' works, and may update or close any item.
- Leaders read everything.
- The joint meeting is the whole platform's (it is not kept per district): a district's bureau on a shared
  platform reads the items and utilities' works about its district's communities and the meetings behind them,
  and records nothing (gaizao.accounts.scope).
- A sub-district officer sees the items about their sub-district's communities (directly or through a project)
  and the items their sub-district office leads or shares; they update and close the items their office leads.
- A department member sees the items their department leads or shares, and updates and closes only those it
  leads; another department's item is a 404. A utility's members see and report on their utility's works.
- Everyone else (contractors, committee members, residents) sees nothing here.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from gaizao.accounts import scope
from gaizao.communities.models import Community
from gaizao.coordination.models import CoordinationItem, Department, Meeting, UtilityWork


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def department_of(user) -> Department | None:
    """A department member's department (None for anyone else)."""
    if not _active(user) or user.role != user.Role.DEPARTMENT_MEMBER:
        return None
    membership = getattr(user, "department_membership", None)
    return membership.department if membership else None


def office_of(user) -> Department | None:
    """A sub-district officer's office, when the office sits on the joint meeting."""
    if not _active(user) or user.role != user.Role.SUBDISTRICT_OFFICER or not user.subdistrict_id:
        return None
    return Department.objects.filter(subdistrict_id=user.subdistrict_id).first()


def is_bureau(user) -> bool:
    """The whole platform's bureau staff: who records meetings, items and utilities' works."""
    return _active(user) and (user.is_superuser or user.role == user.Role.BUREAU) and user.sees_whole_district


def uses_coordination(user) -> bool:
    """Has pages here: the bureau, leaders, sub-district officers, and members of a department."""
    if not _active(user):
        return False
    return user.works_on_programme or department_of(user) is not None


def items_visible_to(user):
    items = CoordinationItem.objects.all()
    if not _active(user):
        return items.none()
    if user.sees_whole_district:
        return items
    department = department_of(user)
    if department is not None:
        return items.filter(Q(lead_department=department) | Q(other_departments=department)).distinct()
    if user.role == user.Role.SUBDISTRICT_OFFICER and user.subdistrict_id:
        sub = user.subdistrict_id
        return items.filter(Q(community__subdistrict_id=sub) | Q(project__communities__subdistrict_id=sub)
                            | Q(lead_department__subdistrict_id=sub)
                            | Q(other_departments__subdistrict_id=sub)).distinct()
    if scope.is_district_bureau(user):
        mine = Community.objects.visible_to(user)
        return items.filter(Q(community__in=mine) | Q(project__communities__in=mine)).distinct()
    return items.none()


def may_act_on(user, item: CoordinationItem) -> bool:
    """Update or close: the bureau, the lead department's members, the lead office's officers."""
    if is_bureau(user):
        return True
    department = department_of(user)
    if department is not None:
        return item.lead_department_id == department.pk
    office = office_of(user)
    return office is not None and item.lead_department_id == office.pk


def meetings_visible_to(user):
    """The bureau and leaders: all; others: the meetings they attended or that gave them a visible item."""
    meetings = Meeting.objects.all()
    if not _active(user):
        return meetings.none()
    if user.sees_whole_district:
        return meetings
    if not uses_coordination(user):
        return meetings.none()
    own = department_of(user) or office_of(user)
    found = Q(pk__in=items_visible_to(user).values("meeting"))
    if own is not None:
        found |= Q(departments=own)
    return meetings.filter(found).distinct()


def works_visible_to(user):
    """Utilities' works: the bureau and leaders all, officers their sub-district's, a utility its own."""
    works = UtilityWork.objects.all()
    if not _active(user):
        return works.none()
    if user.sees_whole_district:
        return works
    department = department_of(user)
    if department is not None:
        return works.filter(utility=department)
    if (user.role == user.Role.SUBDISTRICT_OFFICER and user.subdistrict_id) or scope.is_district_bureau(user):
        return works.filter(community__in=Community.objects.visible_to(user))
    return works.none()


def may_report_on(user, work: UtilityWork) -> bool:
    """The utility's own members report its progress; bureau staff may enter a report it sent on paper."""
    if is_bureau(user):
        return True
    department = department_of(user)
    return department is not None and department.pk == work.utility_id


def get_item_for_user(user, pk):
    return get_object_or_404(items_visible_to(user), pk=pk)


def get_meeting_for_user(user, pk):
    return get_object_or_404(meetings_visible_to(user), pk=pk)


def get_work_for_user(user, pk):
    return get_object_or_404(works_visible_to(user), pk=pk)
