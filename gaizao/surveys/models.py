"""Surveys of residents: needs before (问需), satisfaction after (问效)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaizao.core import clock
from gaizao.households.models import Channel, Household


class Survey(models.Model):
    """Asking residents: what they need before (问需), how satisfied they are after (问效)."""

    class Kind(models.TextChoices):
        NEEDS = "needs", _("Needs survey")
        SATISFACTION = "satisfaction", _("Satisfaction survey")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    project = models.ForeignKey("works.Project", null=True, blank=True, on_delete=models.SET_NULL)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))

    def __str__(self):
        return self.title


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="survey_responses")
    answers = models.JSONField(default=dict)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # On the platform's clock, like every date people read: a bulletin or roll-up as of a day counts the answers
    # given by then, and the demo's answers stay on its day.
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "household"], name="one_response_per_household")]

    def __str__(self):
        return f"{self.survey} · {self.household}"
