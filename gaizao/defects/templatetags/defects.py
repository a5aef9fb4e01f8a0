"""Sections other apps' pages show without knowing this app: a community's warranties and defects (the community
page) and a contractor's defects beside its satisfaction (the satisfaction page)."""

from django import template
from django.db.models import Count, Q

from gaizao.core import clock
from gaizao.defects import access
from gaizao.defects import services as service
from gaizao.defects.filters import only_overdue
from gaizao.defects.models import Defect
from gaizao.households.access import managed_communities
from gaizao.works.models import Company

register = template.Library()
Status = Defect.Status


def _counts(defects, day):
    """{company id or None: {open, overdue}} of the defects given."""
    overdue = only_overdue(defects, day).values("pk")
    rows = defects.values("company_id").annotate(
        open=Count("pk", filter=~Q(status=Status.CLOSED)), overdue=Count("pk", filter=Q(pk__in=overdue)))
    return {row["company_id"]: row for row in rows}


@register.inclusion_tag("defects/_community_section.html", takes_context=True)
def defects_community(context, community):
    """The accepted work of the community with the end of each item's warranty, and its defects."""
    user = context["request"].user
    day = clock.today()
    items = [i for i in service.community_items(community) if i.accepted_on is not None]
    if not items:
        return {"shown": False}
    defects = access.visible_to(user).filter(community=community)
    summary = defects.aggregate(open=Count("pk", filter=~Q(status=Status.CLOSED)),
                                overdue=Count("pk", filter=Q(pk__in=only_overdue(defects, day).values("pk"))))
    rows = [{"item": i, "within": day <= i.warranty_ends} for i in items]
    return {"shown": True, "community": community, "rows": rows, "summary": summary,
            "may_list": access.may_see_list(user), "may_report": access.may_report_for(user, community)}


@register.inclusion_tag("defects/_contractor_record.html", takes_context=True)
def defects_contractor_record(context):
    """A contractor: its own open and overdue defects; staff: each contractor's, beside its satisfaction."""
    from gaizao.surveys.services import satisfaction_table

    user = context["request"].user
    day = clock.today()
    company = access.company_id(user)
    defects = access.visible_to(user).filter(responsible=Defect.Responsible.CONTRACTOR)
    counts = _counts(defects, day)
    if company is not None:
        mine = counts.get(company, {"open": 0, "overdue": 0})
        return {"own": True, "open": mine["open"], "overdue": mine["overdue"]}
    if not access.may_see_list(user):
        return {"own": False, "rows": []}
    communities = None if user.sees_whole_district else managed_communities(user)
    rates = {row["id"]: row["rates"] for row in satisfaction_table("contractor", communities)}
    companies = Company.objects.filter(pk__in=set(counts) | set(rates), kind=Company.Kind.CONTRACTOR)
    rows = [{"company": c, "rates": rates.get(c.pk), "open": counts.get(c.pk, {}).get("open", 0),
             "overdue": counts.get(c.pk, {}).get("overdue", 0)} for c in companies]
    rows.sort(key=lambda r: (-r["overdue"], -r["open"], r["company"].name))
    return {"own": False, "rows": rows}
