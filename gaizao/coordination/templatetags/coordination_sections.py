"""Sections the joint meeting adds to other apps' pages without those apps importing it: a community's utility
works (on its plan and its census page). `{% load coordination_sections %}{% utility_works community %}`."""

from django import template

from gaizao.coordination import access, utility

register = template.Library()


@register.inclusion_tag("coordination/_utility_works.html", takes_context=True)
def utility_works(context, community):
    """The utilities' own works in the community with their funding share, for those who may see them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    works = (access.works_visible_to(user).filter(community=community).select_related("utility")
             .order_by("year", "utility__name", "pk"))
    rows = utility.rows_for(list(works))
    total_cost = sum((r["work"].cost for r in rows), 0)
    total_share = sum((r["work"].utility_share for r in rows), 0)
    return {"rows": rows, "community": community, "total_cost": total_cost, "total_share": total_share,
            "can_record": access.is_bureau(user), "request": request}
