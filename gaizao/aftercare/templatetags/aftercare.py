"""Sections other apps' pages show without knowing this app: a community's management and return visits (the
community page), a contractor's or the district's return visits (the satisfaction page)."""

from django import template

from gaizao.aftercare import services, visits
from gaizao.aftercare.models import AftercareSettings, ManagementArrangement
from gaizao.communities.models import Community
from gaizao.core import clock

register = template.Library()


@register.inclusion_tag("aftercare/_community_section.html", takes_context=True)
def aftercare_community(context, community):
    user = context["request"].user
    if not services.may_see(user):
        return {"shown": False}
    day = clock.today()
    # One query for the many communities that are not accepted: the section then shows nothing.
    found = services.accepted_communities(day, Community.objects.filter(pk=community.pk)).values(
        "accepted_on", "arrangement_id").first()
    if found is None:
        return {"shown": False}
    accepted = found["accepted_on"]
    current = ManagementArrangement.objects.filter(pk=found["arrangement_id"]).first() if found["arrangement_id"] \
        else None
    if current is not None:
        current.community = community
    contact = services.contact_for(user, current) if current else ("", "")
    return {
        "shown": True, "community": community, "accepted_on": accepted, "current": current,
        "contact": contact[0], "phone": contact[1],
        "overdue": services.is_overdue(accepted, current is not None, day),
        "settings": AftercareSettings.current(), "may_edit": services.may_edit(user, community),
        "results": visits.visit_results(community.return_visits.order_by("months", "project__code")),
    }


@register.inclusion_tag("aftercare/_satisfaction_section.html", takes_context=True)
def aftercare_return_visits(context):
    user = context["request"].user
    results = visits.visit_results(visits.visits_for(user).order_by("community__code", "months"))
    return {"results": [r for r in results if r.state != visits.UPCOMING], "link": services.may_see(user),
            "upcoming": sum(1 for r in results if r.state == visits.UPCOMING)}
