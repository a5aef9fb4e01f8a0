"""Defects in accepted renovation work (质量缺陷报修) and what happened to them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaizao.core import clock


class DefectSettings(models.Model):
    """The bureau's rule for defects: how many days the responsible party has to answer one."""

    ONLY = 1

    response_days = models.PositiveSmallIntegerField(
        _("days to answer a defect"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("From the day it is reported (or reopened); a defect still unanswered after that is overdue "
                    "and goes up to the sub-district office."))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("defect settings")
        verbose_name_plural = _("defect settings")
        constraints = [
            models.CheckConstraint(condition=Q(response_days__gte=1, response_days__lte=60),
                                   name="defects_response_days_range",
                                   violation_error_message=_("The days to answer are 1 to 60.")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "DefectSettings":
        return cls.objects.get_or_create(pk=cls.ONLY)[0]


class Defect(models.Model):
    """A defect in an accepted project's work item, passed on by the warranty: to the contractor within it, to the
    community's management body (or the sub-district office) after it, with a deadline to answer."""

    class Responsible(models.TextChoices):
        CONTRACTOR = "contractor", _("Contractor (within the warranty)")
        MANAGEMENT = "management", _("Management body (after the warranty)")
        SUBDISTRICT = "subdistrict", _("Sub-district office (after the warranty, no management body)")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("defect", "Open")
        ANSWERED = "answered", _("Answered, waiting for confirmation")
        CLOSED = "closed", pgettext_lazy("defect", "Closed")

    community = models.ForeignKey("communities.Community", verbose_name=_("community"), on_delete=models.CASCADE,
                                  related_name="defects")
    project_item = models.ForeignKey("works.ProjectItem", verbose_name=_("work item"), on_delete=models.PROTECT,
                                     related_name="defects")
    # A household or staff reports it (services.report checks); the household may later leave the register,
    # and the defect keeps its history without it.
    household = models.ForeignKey("households.Household", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="defects")
    # Staff who entered it (an officer on a walk-round, the bureau from a phone call); None: the resident did.
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    location = models.CharField(_("where"), max_length=100, blank=True)
    text = models.TextField(_("what is wrong"))
    responsible = models.CharField(_("passed on to"), max_length=20, choices=Responsible.choices)
    company = models.ForeignKey("works.Company", verbose_name=_("contractor"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="defects")
    # The management body in place on the day of the report (gaizao.aftercare), as it was named then.
    management_name = models.CharField(_("management body"), max_length=150, blank=True)
    deadline = models.DateField(_("answer due"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("reported"), default=clock.now, editable=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("defect")
        verbose_name_plural = _("defects")
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["company", "status"])]
        constraints = [
            models.CheckConstraint(condition=~Q(responsible="contractor") | Q(company__isnull=False),
                                   name="defect_contractor_named",
                                   violation_error_message=_("A defect within the warranty goes to a contractor.")),
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_at__isnull=False),
                                   name="defect_closed_when",
                                   violation_error_message=_("A closed defect has the time it was closed.")),
        ]

    def __str__(self):
        return f"#{self.pk} {self.text[:30]}"


class DefectEvent(models.Model):
    """One step of a defect: reported, answered, reopened or confirmed (the deadline each report or reopening
    set, so a bulletin of any past day can replay it)."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("Reported")
        ANSWERED = "answered", _("Answered")
        REOPENED = "reopened", _("Not repaired: reopened")
        CONFIRMED = "confirmed", _("Repaired: confirmed")

    defect = models.ForeignKey(Defect, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    deadline = models.DateField(null=True, blank=True)
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind__in=["reported", "reopened"]) | Q(deadline__isnull=False),
                                   name="defect_event_deadline",
                                   violation_error_message=_("A report or a reopening sets a deadline.")),
        ]

    def __str__(self):
        return f"{self.kind} {self.at}"


class DefectPhoto(models.Model):
    """A photo of a report or of an answer (the repair); served only to those who may see the defect."""

    defect = models.ForeignKey(Defect, on_delete=models.CASCADE, related_name="photos")
    event = models.ForeignKey(DefectEvent, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="defects/%Y/%m/")

    class Meta:
        ordering = ["event", "pk"]

    def __str__(self):
        return self.image.name
