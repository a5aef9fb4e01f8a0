from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _home_section(household) -> dict:
    from gaizao.votes.services import open_votes_for

    return {"votes": list(open_votes_for(household))}


class VotesConfig(AppConfig):
    """Owners' votes (问计) under Civil Code art. 278: ballots online and on paper, the lawful result."""

    name = "gaizao.votes"
    label = "votes"
    verbose_name = _("Votes")

    def ready(self):
        from gaizao.residents.portal import add_section

        add_section("votes", order=10, template="votes/_home_section.html", context=_home_section)
