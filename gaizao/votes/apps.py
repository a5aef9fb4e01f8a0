from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaizao.core import clock
from gaizao.planning.need import Evidence


def _home_section(household) -> dict:
    from gaizao.votes.services import open_votes_for

    return {"votes": list(open_votes_for(household))}


def _plan_vote_support(community_ids) -> dict:
    """The latest closed, counted vote on each community's plan: approval by area and by owners, each as a
    share of the whole electorate (so a low turnout weighs as little support)."""
    from gaizao.core.formatting import date
    from gaizao.votes.models import Vote
    from gaizao.votes.services import result as count

    found = {}
    for vote in (Vote.objects.filter(community_id__in=community_ids, subject=Vote.Subject.PLAN,
                                     closes_at__lte=clock.now()).select_related("community")
                 .order_by("community_id", "-closes_at", "-pk")):
        if vote.community_id in found:
            continue
        result = count(vote)  # stored when first counted after closing
        total_area, total_owners = float(result["total"]["area_m2"]), result["total"]["voters"]
        area = float(result["yes"]["area_m2"]) / total_area if total_area else 0.0
        owners = result["yes"]["voters"] / total_owners if total_owners else 0.0
        share = (area + owners) / 2
        found[vote.community_id] = Evidence(share, _("vote “%(title)s” (closed %(date)s): %(area).0f%% of the area "
                                                     "and %(owners).0f%% of the owners in favour") % {
            "title": vote.title, "date": date(vote.closes_at), "area": 100 * area, "owners": 100 * owners})
    return found


class VotesConfig(AppConfig):
    """Owners' votes (问计) under Civil Code art. 278: ballots online and on paper, the lawful result."""

    name = "gaizao.votes"
    label = "votes"
    verbose_name = gettext_lazy("Votes")

    def ready(self):
        from gaizao.residents.portal import add_section

        add_section("votes", order=10, template="votes/_home_section.html", context=_home_section)
        from gaizao.planning.need import add_support_source

        add_support_source("plan_vote", _plan_vote_support)
