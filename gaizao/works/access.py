"""Which projects a user may see and report on."""

from django.shortcuts import get_object_or_404

from gaizao.accounts import scope
from gaizao.communities.models import Community
from gaizao.works.models import Project


def projects_visible_to(user):
    projects = Project.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return projects.none()
    if user.sees_whole_district:
        return projects
    if user.role == user.Role.CONTRACTOR:
        membership = getattr(user, "membership", None)
        return projects.filter(contractor_id=membership.company_id) if membership else projects.none()
    visible = Community.objects.visible_to(user)
    return projects.filter(communities__in=visible).distinct()


def may_report(user, project) -> bool:
    if not user.is_active:
        return False
    if user.role == user.Role.CONTRACTOR:
        membership = getattr(user, "membership", None)
        return membership is not None and membership.company_id == project.contractor_id
    return runs_project(user, project)


def runs_project(user, project) -> bool:
    """Bureau staff's powers over a project (report for a contractor, accept, correct): the whole platform's
    bureau on any project, a district's bureau on a project whose communities all lie in its district."""
    if not scope.is_bureau(user):
        return False
    if user.sees_whole_district:
        return True
    if not scope.is_district_bureau(user):
        return False
    communities = project.communities.all()
    return communities.exists() and not communities.exclude(pk__in=Community.objects.visible_to(user)).exists()


def get_project_for_user(user, code):
    return get_object_or_404(projects_visible_to(user), code=code)
