"""Filters for votes: the API's (community, matter, electorate, state) and the vote list page's."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from gaizao.core.filters import STATES, StyledFilterMixin, in_state
from gaizao.votes.models import Vote


class VoteFilterSet(filters.FilterSet):
    community = filters.CharFilter(field_name="community__code", help_text="Community code")
    matter = filters.ChoiceFilter(choices=Vote.Matter.choices)
    electorate = filters.ChoiceFilter(choices=Vote.Electorate.choices)
    state = filters.ChoiceFilter(choices=STATES, method="in_state")

    class Meta:
        model = Vote
        fields = ["community", "matter", "electorate", "state"]

    def in_state(self, queryset, name, value):
        return in_state(queryset, value)


class VotePageFilterSet(StyledFilterMixin, filters.FilterSet):
    """The vote list page: search by question or community, and narrow by state and matter."""

    q = filters.CharFilter(method="search", label=_("Search"))
    state = filters.ChoiceFilter(choices=[("open", pgettext_lazy("vote", "Open")), ("upcoming", _("Not yet open")),
                                          ("closed", _("Closed"))], method="in_state", label=_("Status"),
                                 empty_label=_("All"))
    matter = filters.ChoiceFilter(choices=Vote.Matter.choices, label=_("Matter"), empty_label=_("All"))

    class Meta:
        model = Vote
        fields = ["q", "state", "matter"]

    def search(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(Q(title__icontains=text) | Q(community__name__icontains=text)
                               | Q(community__code__iexact=text)) if text else queryset

    def in_state(self, queryset, name, value):
        return in_state(queryset, value)
