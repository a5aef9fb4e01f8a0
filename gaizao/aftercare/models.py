"""After acceptance: who manages a renovated community (长效管理) and the return visits to its residents (回访)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class AftercareSettings(models.Model):
    """The bureau's rules after acceptance: when a missing arrangement is flagged, when return visits open."""

    ONLY = 1

    overdue_days = models.PositiveSmallIntegerField(
        _("days after acceptance to arrange management"), default=90,
        help_text=_("A community accepted longer ago than this without a management arrangement is flagged."))
    first_visit_months = models.PositiveSmallIntegerField(
        _("first return visit (months after acceptance)"), default=3)
    second_visit_months = models.PositiveSmallIntegerField(
        _("second return visit (months after acceptance)"), default=12, null=True, blank=True,
        help_text=_("Empty: one return visit only."))
    visit_open_days = models.PositiveSmallIntegerField(_("days a return visit stays open"), default=30)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("after-acceptance settings")
        verbose_name_plural = _("after-acceptance settings")
        constraints = [
            models.CheckConstraint(condition=Q(overdue_days__gte=1, overdue_days__lte=3650),
                                   name="aftercare_overdue_days_range",
                                   violation_error_message=_("The days to arrange management are 1 to 3,650.")),
            models.CheckConstraint(condition=Q(first_visit_months__gte=1, first_visit_months__lte=60),
                                   name="aftercare_first_visit_range",
                                   violation_error_message=_("A return visit is 1 to 60 months after acceptance.")),
            models.CheckConstraint(condition=Q(second_visit_months__isnull=True)
                                   | Q(second_visit_months__gt=F("first_visit_months"), second_visit_months__lte=60),
                                   name="aftercare_second_visit_later",
                                   violation_error_message=_("The second return visit comes after the first, at "
                                                             "most 60 months after acceptance.")),
            models.CheckConstraint(condition=Q(visit_open_days__gte=1, visit_open_days__lte=365),
                                   name="aftercare_visit_open_days_range",
                                   violation_error_message=_("A return visit stays open 1 to 365 days.")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "AftercareSettings":
        """The stored settings, or the defaults when the bureau has not saved any (nothing is written)."""
        return cls.objects.filter(pk=cls.ONLY).first() or cls(pk=cls.ONLY)

    @property
    def visit_months(self) -> list[int]:
        return [m for m in (self.first_visit_months, self.second_visit_months) if m]


class ManagementArrangement(models.Model):
    """Who manages a community after its renovation, since when, at what fee; replaced, never overwritten."""

    class Kind(models.TextChoices):
        PROPERTY_COMPANY = "property_company", _("Professional property service company")
        STATE_PLATFORM = "state_platform", _("State-owned platform company")
        SELF_MANAGEMENT = "self_management", _("Residents' self-management")
        TRUSTEESHIP = "trusteeship", _("Sub-district or neighbourhood trusteeship")

    community = models.ForeignKey("communities.Community", verbose_name=_("community"), on_delete=models.CASCADE,
                                  related_name="management_arrangements")
    kind = models.CharField(_("kind of management"), max_length=20, choices=Kind.choices)
    body_name = models.CharField(_("managing body"), max_length=150)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    since = models.DateField(_("in place since"))
    fee_per_m2_month = models.DecimalField(_("fee standard (yuan per m² a month)"), max_digits=6, decimal_places=2)
    collection_rate = models.DecimalField(_("fee collection rate (percent)"), max_digits=5, decimal_places=2, null=True,
                                          blank=True)
    has_maintenance_fund = models.BooleanField(_("maintenance fund exists"), default=False)
    fund_balance = models.DecimalField(_("maintenance fund balance (yuan)"), max_digits=14, decimal_places=2,
                                       null=True, blank=True)
    agreement = models.FileField(_("agreement"), upload_to="aftercare/%Y/", blank=True)
    notes = models.TextField(_("notes"), blank=True)
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    # Set when a later arrangement takes over (its `since`); the current one has none.
    ended_on = models.DateField(_("replaced on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["community", "-since", "-pk"]
        verbose_name = _("management arrangement")
        verbose_name_plural = _("management arrangements")
        indexes = [models.Index(fields=["community", "since"])]
        constraints = [
            models.UniqueConstraint(fields=["community"], condition=Q(ended_on__isnull=True),
                                    name="aftercare_one_current_arrangement",
                                    violation_error_message=_("The community already has a current arrangement; "
                                                              "a new one replaces it.")),
            models.CheckConstraint(condition=Q(fee_per_m2_month__gte=0, fee_per_m2_month__lte=100),
                                   name="aftercare_fee_range",
                                   violation_error_message=_("The fee standard is 0 to 100 yuan per m² a month.")),
            models.CheckConstraint(condition=Q(collection_rate__isnull=True)
                                   | Q(collection_rate__gte=0, collection_rate__lte=100),
                                   name="aftercare_collection_rate_percent",
                                   violation_error_message=_("The collection rate is 0 to 100 percent.")),
            models.CheckConstraint(condition=Q(fund_balance__isnull=True)
                                   | Q(has_maintenance_fund=True, fund_balance__gte=0),
                                   name="aftercare_balance_with_fund",
                                   violation_error_message=_("A fund balance needs a maintenance fund, and it "
                                                             "cannot be negative.")),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gt=F("since")),
                                   name="aftercare_ended_after_since",
                                   violation_error_message=_("An arrangement is replaced after it began.")),
        ]

    def __str__(self):
        return f"{self.body_name} ({self.since})"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class ReturnVisit(models.Model):
    """A return visit (回访): the satisfaction survey that opens by itself some months after a project's
    acceptance, in one of its communities. Its dates follow the acceptance date until someone answers."""

    project = models.ForeignKey("works.Project", verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="return_visits")
    community = models.ForeignKey("communities.Community", verbose_name=_("community"), on_delete=models.CASCADE,
                                  related_name="return_visits")
    months = models.PositiveSmallIntegerField(_("months after acceptance"))
    survey = models.OneToOneField("surveys.Survey", on_delete=models.CASCADE, related_name="return_visit")

    class Meta:
        ordering = ["community", "months"]
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        constraints = [
            models.UniqueConstraint(fields=["project", "community", "months"], name="aftercare_one_visit_per_interval",
                                    violation_error_message=_("This return visit exists already.")),
            models.CheckConstraint(condition=Q(months__gte=1), name="aftercare_visit_months_positive"),
        ]

    def __str__(self):
        return self.survey.title
