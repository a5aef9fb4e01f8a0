"""Who sees, reports, answers and confirms defects.

Sees: the bureau and leaders all (a district's bureau its district's); an officer their sub-district's; a
contractor the defects passed to its company; a residents' committee member their community's; a household (on its
phone) its own. Reports: a household for its home, an officer in their sub-district, the bureau anywhere (a
district's bureau in its district). Answers: the contractor it went to; for a defect after the warranty, the
sub-district office (which passes it to the management body); the bureau always (in its district). Confirms: the
household that reported it; for one staff entered, the office or bureau that did.
"""

from gaizao.accounts import scope
from gaizao.communities.models import Community
from gaizao.defects.models import Defect
from gaizao.households.access import committee_communities

Responsible = Defect.Responsible


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def company_id(user):
    """The contractor company of a contractor's account, else None."""
    if not _active(user) or user.role != user.Role.CONTRACTOR:
        return None
    membership = getattr(user, "membership", None)
    return membership.company_id if membership else None


def is_bureau(user) -> bool:
    """The whole platform's bureau (a district's bureau acts through `runs_in`)."""
    return _active(user) and (user.is_superuser or user.role == user.Role.BUREAU) and user.sees_whole_district


def runs_in(user, community) -> bool:
    """Bureau staff's powers in this community: the whole platform's anywhere, a district's in its district."""
    return scope.runs(user, community.subdistrict_id)


def is_officer_of(user, community) -> bool:
    return (_active(user) and user.role == user.Role.SUBDISTRICT_OFFICER and user.subdistrict_id is not None
            and user.subdistrict_id == community.subdistrict_id)


def visible_to(user):
    defects = Defect.objects.all()
    if not _active(user):
        return defects.none()
    if user.sees_whole_district:
        return defects
    if scope.is_district_bureau(user):
        return defects.filter(community__in=Community.objects.visible_to(user))
    if user.role == user.Role.SUBDISTRICT_OFFICER and user.subdistrict_id:
        return defects.filter(community__subdistrict_id=user.subdistrict_id)
    if user.role == user.Role.CONTRACTOR:
        company = company_id(user)
        return defects.filter(company_id=company) if company else defects.none()
    if user.role == user.Role.COMMITTEE_MEMBER:
        return defects.filter(community__in=committee_communities(user))
    return defects.none()


def may_see_list(user) -> bool:
    return _active(user) and (user.sees_whole_district or scope.is_district_bureau(user) or user.role in (
        user.Role.SUBDISTRICT_OFFICER, user.Role.CONTRACTOR, user.Role.COMMITTEE_MEMBER))


def reporting_communities(user):
    """Communities staff may report a defect in: the bureau all, an officer their sub-district's."""
    if is_bureau(user):
        return Community.objects.all()
    if scope.is_district_bureau(user):
        return Community.objects.visible_to(user)
    if _active(user) and user.role == user.Role.SUBDISTRICT_OFFICER and user.subdistrict_id:
        return Community.objects.filter(subdistrict_id=user.subdistrict_id)
    return Community.objects.none()


def may_report_for(user, community) -> bool:
    return runs_in(user, community) or is_officer_of(user, community)


def may_answer(user, defect: Defect) -> bool:
    if runs_in(user, defect.community):
        return True
    if defect.responsible == Responsible.CONTRACTOR:
        return defect.company_id is not None and company_id(user) == defect.company_id
    return is_officer_of(user, defect.community)


def may_confirm(user, household, defect: Defect) -> bool:
    """The household that reported it; for a defect staff entered, that office or the bureau."""
    if defect.household_id is not None:
        return household is not None and household.pk == defect.household_id
    return may_report_for(user, defect.community)


def may_edit_settings(user) -> bool:
    return is_bureau(user)
