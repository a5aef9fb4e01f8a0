from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Company(models.Model):
    """A contractor (施工单位) or supervising company (监理单位)."""

    class Kind(models.TextChoices):
        CONTRACTOR = "contractor", _("Contractor")
        SUPERVISOR = "supervisor", _("Supervisor")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self):
        return self.name


class CompanyMember(models.Model):
    """Links a contractor user to their company; they see and report on that company's projects only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="members")

    def __str__(self):
        return f"{self.user} @ {self.company}"


class Project(models.Model):
    """A construction project (施工项目/标段) covering one or more communities' approved plan items."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        UNDER_CONSTRUCTION = "under_construction", _("Under construction")
        COMPLETED = "completed", pgettext_lazy("project", "Completed")
        ACCEPTED = "accepted", _("Accepted")

    code = models.CharField(_("project code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=150)
    contractor = models.ForeignKey(Company, verbose_name=_("contractor"), on_delete=models.PROTECT,
                                   related_name="projects")
    supervisor = models.ForeignKey(Company, verbose_name=_("supervisor"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="supervised_projects")
    communities = models.ManyToManyField("communities.Community", verbose_name=_("communities"),
                                         related_name="projects")
    contract_value = models.DecimalField(_("contract value (yuan)"), max_digits=14, decimal_places=2, default=0)
    planned_start = models.DateField(_("planned start"))
    planned_finish = models.DateField(_("planned finish"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_finish = models.DateField(_("actual finish"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(condition=Q(planned_finish__gte=F("planned_start")), name="project_plan_ordered"),
            models.CheckConstraint(condition=Q(actual_finish__isnull=True) | Q(actual_start__isnull=False,
                                                                                actual_finish__gte=F("actual_start")),
                                   name="project_actual_ordered"),
            models.CheckConstraint(condition=Q(contract_value__gte=0), name="project_value_non_negative"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class ProjectItem(models.Model):
    """A plan item the project delivers; planned quantity and unit cost come from the approved plan."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    plan_item = models.OneToOneField("planning.PlanItem", on_delete=models.PROTECT, related_name="project_item")
    shortfall_reason = models.CharField(_("reason for a shortfall"), max_length=300, blank=True)

    class Meta:
        ordering = ["project", "plan_item__plan__community__code", "plan_item__item__code"]

    def __str__(self):
        return f"{self.project.code} {self.plan_item}"


class ProgressEntry(models.Model):
    """A quantity done on a date (an increment). Append-only: a mistake is fixed by a correcting entry."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        CORRECTION = "correction", _("Correction")

    project_item = models.ForeignKey(ProjectItem, on_delete=models.PROTECT, related_name="entries")
    date = models.DateField(_("date of the work"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REPORT)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reporter_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        indexes = [models.Index(fields=["project_item", "date"])]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="entry_quantity_not_zero"),
            models.CheckConstraint(condition=Q(kind="correction") | Q(quantity__gt=0),
                                   name="entry_report_positive",
                                   violation_error_message=_("A report adds a positive quantity; use a correction "
                                                             "to take some back.")),
            models.CheckConstraint(condition=Q(kind="report") | ~Q(reason=""), name="entry_correction_has_reason",
                                   violation_error_message=_("A correction needs a reason.")),
        ]

    def __str__(self):
        return f"{self.date} {self.quantity}"


class Photo(models.Model):
    """A site photo tied to a progress entry, with the date and position the camera recorded, if any."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before")
        DURING = "during", _("During")
        AFTER = "after", _("After")

    entry = models.ForeignKey(ProgressEntry, on_delete=models.PROTECT, related_name="photos")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.DURING)
    image = models.ImageField(_("photo"), upload_to="photos/%Y/%m/")
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["entry", "pk"]

    def __str__(self):
        return self.image.name


class Milestone(models.Model):
    """A target share of planned value by a date, for the district or one sub-district."""

    area = models.ForeignKey("regions.Area", verbose_name=_("district or sub-district"), on_delete=models.CASCADE)
    date = models.DateField(_("date"))
    target_share = models.DecimalField(_("target share"), max_digits=5, decimal_places=4,
                                       help_text=_("0.8 means 80 percent of the planned value."))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.CheckConstraint(condition=Q(target_share__gt=0, target_share__lte=1),
                                              name="milestone_share_range")]

    def __str__(self):
        return self.name or f"{self.area} {self.date} {self.target_share}"

    @property
    def percent(self) -> Decimal:
        return self.target_share * 100


class Acceptance(models.Model):
    """Completion acceptance (竣工验收) of a project: final once recorded, changed only by a correction.

    Every later date counts from it — warranty periods, return visits, long-term management deadlines. Always
    read ``project.acceptance.date``; never copy it into another table: a correction
    (`gaizao.works.acceptance.correct_acceptance`) changes this row's date, and a copy would keep the old one.
    The first record stays in the corrections' history (`first_record()`), not here. One row per project (the
    one-to-one key), so two first acceptances at the same moment cannot both be kept.
    """

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="acceptance")
    date = models.DateField(_("date"))
    checklist = models.JSONField(_("checklist"), default=dict)
    participants = models.TextField(_("participants"), help_text=_("One per line; include resident representatives."))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by_name = models.CharField(max_length=150, blank=True)
    # The platform's now when it was recorded; empty for acceptances recorded before it was kept.
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["project"]
        verbose_name = _("completion acceptance")
        verbose_name_plural = _("completion acceptances")

    def __str__(self):
        return f"{self.project} {self.date}"

    def first_record(self) -> dict:
        """Date, participants, checklist and notes as first recorded (before any correction)."""
        first = self.corrections.order_by("corrected_at", "pk").first()
        if first is None:
            return {"date": self.date, "participants": self.participants, "checklist": self.checklist,
                    "notes": self.notes}
        return {"date": first.previous_date, "participants": first.previous_participants,
                "checklist": first.previous_checklist, "notes": first.previous_notes}


class AcceptanceCorrection(models.Model):
    """A correction of a recorded acceptance: the values before and after, why, by whom and when.

    Append-only: the acceptance row holds the current values, these rows the way there.
    """

    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="corrections")
    previous_date = models.DateField(_("previous date"))
    previous_participants = models.TextField(_("previous participants"))
    previous_checklist = models.JSONField(_("previous checklist"), default=dict, blank=True)
    previous_notes = models.TextField(_("previous notes"), blank=True)
    date = models.DateField(_("date"))
    participants = models.TextField(_("participants"))
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    reason = models.CharField(_("reason for the correction"), max_length=300)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    corrected_by_name = models.CharField(max_length=150, blank=True)
    # The platform's now (gaizao.core.clock), like the other events people read: a demo's history stays on its day.
    corrected_at = models.DateTimeField(_("corrected at"))

    class Meta:
        ordering = ["acceptance", "corrected_at", "pk"]
        verbose_name = _("acceptance correction")
        verbose_name_plural = _("acceptance corrections")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="acceptance_correction_has_reason",
                                   violation_error_message=_("A correction of the acceptance needs a reason.")),
        ]

    def __str__(self):
        return f"{self.acceptance} {self.previous_date} → {self.date}"


class AcceptanceDocument(models.Model):
    """A document of the acceptance: minutes, inspection reports, drawings, photos of the signed forms."""

    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(_("file"), upload_to="acceptance/%Y/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.title
