"""API filters for feedback: status, category, community, overdue."""

from django_filters import rest_framework as filters

from gaizao.core import clock
from gaizao.core.filters import StrictBooleanFilter
from gaizao.feedback.models import Feedback


class FeedbackFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Feedback.Status.choices)
    category = filters.ChoiceFilter(choices=Feedback.Category.choices)
    community = filters.CharFilter(field_name="community__code", help_text="Community code")
    overdue = StrictBooleanFilter(method="only_overdue",
                                    help_text="true: only items waiting for an answer past their due date")

    class Meta:
        model = Feedback
        fields = ["status", "category", "community", "overdue"]

    def only_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=Feedback.Status.OPEN, due_date__lt=clock.today())
