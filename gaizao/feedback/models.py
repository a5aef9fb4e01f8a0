"""Residents' feedback (诉求) and what happened to it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaizao.core import clock
from gaizao.households.models import Household


class Feedback(models.Model):
    """A resident's report of a problem (诉求), routed to whoever is responsible, with a due date."""

    class Category(models.TextChoices):
        QUALITY = "quality", _("Quality of the work")
        SAFETY = "safety", _("Safety on the site")
        NOISE = "noise", _("Noise or dust")
        UTILITIES = "utilities", _("Water, power, heating or gas")
        OTHER = "other", _("Other")

    class Responsible(models.TextChoices):
        CONTRACTOR = "contractor", _("Contractor")
        SUBDISTRICT = "subdistrict", _("Sub-district office")
        UTILITY = "utility", _("Utility company")

    class Status(models.TextChoices):
        # a feedback item's own words (待处理/已办结), not a vote's (表决中/已截止)
        OPEN = "open", pgettext_lazy("feedback", "Open")
        ANSWERED = "answered", _("Answered, waiting for the resident")
        CLOSED = "closed", pgettext_lazy("feedback", "Closed")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="feedback")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = models.TextField(_("what is wrong"))
    photo = models.ImageField(_("photo"), upload_to="feedback/%Y/%m/", blank=True)
    responsible = models.CharField(_("responsible"), max_length=20, choices=Responsible.choices)
    company = models.ForeignKey("works.Company", null=True, blank=True, on_delete=models.SET_NULL)
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    # The platform's time, not the machine's: the bulletin counts what was open on its day by these (the demo's
    # feedback is reported on 2021-11-25, like its progress).
    created_at = models.DateTimeField(default=clock.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self):
        return f"{self.get_category_display()}: {self.text[:30]}"


class FeedbackEvent(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20)
    text = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["at"]
        # The counts on a past day replay only the items that changed after it: found by time (the whole
        # platform's 76,000 events were read for none at 50,000 communities).
        indexes = [models.Index(fields=["at"], name="feedback_event_at")]

    def __str__(self):
        return f"{self.kind} {self.at}"
