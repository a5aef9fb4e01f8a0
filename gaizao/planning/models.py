from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class FundingSource(models.TextChoices):
    """Who pays (domain reference §2)."""

    CENTRAL_SUBSIDY = "central_subsidy", _("Central subsidy")
    PROVINCIAL_BUDGET = "provincial_budget", _("Provincial budget")
    LOCAL_BUDGET = "local_budget", _("City and district budget")
    SPECIAL_BONDS = "special_bonds", _("Special bonds")
    RESIDENTS = "residents", _("Residents' contribution")
    MAINTENANCE_FUND = "maintenance_fund", _("Housing maintenance fund")
    PROVIDENT_FUND = "provident_fund", _("Housing provident fund (elevators)")
    UTILITIES = "utilities", _("Utility companies")
    ORIGINAL_OWNER = "original_owner", _("Original owner unit")
    SOCIAL_CAPITAL = "social_capital", _("Social capital")


class CommunityPlan(models.Model):
    """One version of a community's own plan (一小区一方案): work items, quantities, cost and funding."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published for residents")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    community = models.ForeignKey("communities.Community", verbose_name=_("community"), on_delete=models.CASCADE,
                                  related_name="plans")
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    cost_date = models.DateField(_("prices as of"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["community", "-version"]
        verbose_name = _("community plan")
        verbose_name_plural = _("community plans")
        constraints = [
            models.UniqueConstraint(fields=["community", "version"], name="plan_unique_version"),
            models.UniqueConstraint(fields=["community"], condition=Q(status="approved"),
                                    name="plan_one_approved_per_community",
                                    violation_error_message=_("A community has one approved plan at a time.")),
        ]

    def __str__(self):
        return f"{self.community.name} v{self.version}"

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT


class PlanItem(models.Model):
    """A catalog item in a plan with its quantity and the unit cost in force on the plan's price date."""

    plan = models.ForeignKey(CommunityPlan, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("catalog.WorkItem", verbose_name=_("work item"), on_delete=models.PROTECT)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit_cost = models.DecimalField(_("unit cost (yuan)"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["plan", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "item"], name="plan_item_once"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="plan_item_quantity_positive",
                                   violation_error_message=_("A quantity must be more than 0.")),
            models.CheckConstraint(condition=Q(unit_cost__gt=0), name="plan_item_cost_positive"),
        ]

    def __str__(self):
        return f"{self.item.name} × {self.quantity}"

    @property
    def cost(self):
        return (self.quantity * self.unit_cost).quantize(Decimal("0.01"), ROUND_HALF_UP)


class FundingShare(models.Model):
    plan = models.ForeignKey(CommunityPlan, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(_("funding source"), max_length=30, choices=FundingSource.choices)
    yuan = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["plan", "source"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "source"], name="funding_source_once"),
            models.CheckConstraint(condition=Q(yuan__gte=0), name="funding_non_negative"),
        ]

    def __str__(self):
        return f"{self.get_source_display()}: {self.yuan}"


class Pays(models.TextChoices):
    """What a programme's funding source may pay (the optimiser's `pays`)."""

    BASIC = "basic", _("Basic and improvement work")
    UPGRADE = "upgrade", _("Upgrade work")
    ALL = "all", _("Any work")


def default_need_weights():
    return {"age": 30, "problems": 20, "households": 15, "elderly": 15, "support": 10, "demonstration": 10}


def default_cash_flow():
    return [1.0]


def validate_cash_flow(value) -> None:
    """Shares of a cost spent in its start year, the next year, …: each 0 or more, adding up to 1."""
    from gaizao.planning.funding import cash_flow_problems

    problems = cash_flow_problems(value)
    if problems:
        raise ValidationError(problems)


class Programme(models.Model):
    """A multi-year renovation programme of a district (e.g. 2021–2025) with a budget and capacity per year."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    district = models.ForeignKey("regions.Area", verbose_name=_("district"), on_delete=models.PROTECT,
                                 limit_choices_to={"level": "district"})
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    current_year = models.PositiveSmallIntegerField(_("current year"),
                                                    help_text=_("Implementing this year, planning next year."))
    upgrade_weight = models.DecimalField(_("weight of upgrade work"), max_digits=4, decimal_places=2, default=0.25)
    need_weights = models.JSONField(_("need score weights"), default=default_need_weights)
    cash_flow = models.JSONField(_("cash flow"), default=default_cash_flow, validators=[validate_cash_flow],
                                 help_text=_("Shares of a cost spent in its start year, the next year, …; they add "
                                             "up to 1."))
    capacity_subdistrict = models.PositiveIntegerField(
        _("communities starting per sub-district and year at most"), null=True, blank=True)
    move_penalty = models.DecimalField(_("move penalty"), max_digits=14, decimal_places=2, default=0,
                                       help_text=_("Objective given up for each community that moves from its "
                                                   "adopted year when the programme is re-planned."))

    class Meta:
        ordering = ["-first_year", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(condition=Q(last_year__gte=F("first_year")), name="programme_years_ordered"),
            models.CheckConstraint(condition=Q(current_year__gte=F("first_year"), current_year__lte=F("last_year")),
                                   name="programme_current_year_inside"),
            models.CheckConstraint(condition=Q(capacity_subdistrict__isnull=True) | Q(capacity_subdistrict__gte=1),
                                   name="programme_subdistrict_capacity_positive"),
            models.CheckConstraint(condition=Q(move_penalty__gte=0), name="programme_move_penalty_non_negative"),
        ]

    def __str__(self):
        return self.name

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


class ProgrammeYear(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="year_rows")
    year = models.PositiveSmallIntegerField(_("year"))
    budget_yuan = models.DecimalField(_("budget (yuan)"), max_digits=16, decimal_places=2)
    capacity_households = models.PositiveIntegerField(_("households starting works at most"), null=True, blank=True)
    capacity_communities = models.PositiveIntegerField(_("communities starting works at most"), null=True,
                                                       blank=True)

    class Meta:
        ordering = ["programme", "year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="programme_year_once"),
            models.CheckConstraint(condition=Q(budget_yuan__gte=0), name="programme_budget_non_negative"),
        ]

    def __str__(self):
        return f"{self.programme} {self.year}"


class ProgrammeFunding(models.Model):
    """One funding source of a programme year: its amount and what it may pay, spent in `position` order."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="funding_rows")
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("funding source"), max_length=30, choices=FundingSource.choices)
    amount_yuan = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2)
    pays = models.CharField(_("may pay"), max_length=10, choices=Pays.choices, default=Pays.ALL)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["programme", "year", "position", "pk"]
        verbose_name = _("programme funding source")
        verbose_name_plural = _("programme funding sources")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "source"], name="programme_funding_once",
                                    violation_error_message=_("A source appears once in a year.")),
            models.CheckConstraint(condition=Q(amount_yuan__gte=0), name="programme_funding_non_negative",
                                   violation_error_message=_("An amount cannot be negative.")),
            models.CheckConstraint(condition=Q(pays__in=Pays.values), name="programme_funding_pays_known"),
        ]

    def __str__(self):
        return f"{self.programme} {self.year} {self.get_source_display()}"


class Assignment(models.Model):
    """Where the programme puts one eligible community, and why; pins and exclusions are staff decisions."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="assignments")
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="assignments")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    upgrade_year = models.PositiveSmallIntegerField(_("upgrade year"), null=True, blank=True)
    pinned_year = models.PositiveSmallIntegerField(_("pinned to year"), null=True, blank=True)
    excluded = models.BooleanField(_("kept out"), default=False)
    need_score = models.DecimalField(_("need score"), max_digits=6, decimal_places=2, default=0)
    cost_yuan = models.DecimalField(_("cost of basic work (yuan)"), max_digits=14, decimal_places=2, default=0)
    upgrade_cost_yuan = models.DecimalField(_("cost of upgrade work (yuan)"), max_digits=14, decimal_places=2,
                                            default=0)
    households = models.PositiveIntegerField(_("households"), default=0)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["programme", "year", "-need_score"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "community"], name="assignment_once_per_programme"),
            models.CheckConstraint(condition=Q(upgrade_year__isnull=True) | Q(year__isnull=False,
                                                                               upgrade_year__gte=F("year")),
                                   name="assignment_upgrade_after_basic",
                                   violation_error_message=_("Upgrade work cannot come before basic work.")),
            models.CheckConstraint(condition=Q(pinned_year__isnull=True) | Q(excluded=False),
                                   name="assignment_pinned_or_excluded"),
        ]

    def __str__(self):
        return f"{self.community} → {self.year or '—'}"


class Scenario(models.Model):
    """One optimiser run: its inputs and result, kept to compare what-ifs side by side."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(_("name"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    inputs = models.JSONField(default=dict)
    result = models.JSONField(null=True, blank=True)
    message = models.TextField(blank=True)
    adopted = models.BooleanField(_("adopted"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self):
        return self.name
