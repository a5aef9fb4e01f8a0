"""The joint meeting (工作联席会议): the departments and utilities on it, its meetings, each decision as a
coordination item with a lead department and a due date, and the utilities' own pipeline work (管线单位出资)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaizao.catalog.models import Unit
from gaizao.core import clock


class Department(models.Model):
    """A government department, a utility (管线单位) or a sub-district office that sits on the joint meeting."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government department")
        UTILITY = "utility", _("Utility")
        SUBDISTRICT = "subdistrict", _("Sub-district office")

    class Service(models.TextChoices):
        WATER = "water", _("Water supply")
        POWER = "power", _("Power supply")
        GAS = "gas", _("Gas")
        HEATING = "heating", _("Heating")
        TELECOM = "telecom", _("Telecom")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    service = models.CharField(_("utility service"), max_length=20, choices=Service.choices, blank=True)
    # The office's own sub-district: its officers act for it on the office's items.
    subdistrict = models.OneToOneField("regions.Area", verbose_name=_("sub-district"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="office_department",
                                       limit_choices_to={"level": "subdistrict"})
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="utility", service__gt="") | (~Q(kind="utility") & Q(service="")),
                name="department_utility_has_service",
                violation_error_message=_("A utility says what it supplies (water, power, gas, heating or "
                                          "telecom); other departments supply nothing.")),
            models.CheckConstraint(
                condition=Q(kind="subdistrict", subdistrict__isnull=False)
                | (~Q(kind="subdistrict") & Q(subdistrict__isnull=True)),
                name="department_office_has_subdistrict",
                violation_error_message=_("A sub-district office names its sub-district; other departments "
                                          "do not.")),
        ]

    def __str__(self):
        return self.name


class DepartmentMember(models.Model):
    """Links a department staff account to its department; they see and act on that department's items only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="department_membership")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="members")

    class Meta:
        verbose_name = _("department member")
        verbose_name_plural = _("department members")

    def __str__(self):
        return f"{self.user} @ {self.department}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.user_id and self.user.role != self.user.Role.DEPARTMENT_MEMBER:
            raise ValidationError(_("Only an account with the role Department staff can be a department's member."))


class Meeting(models.Model):
    """A joint meeting held (联席会议): who attended and what it decided; each decision is a CoordinationItem."""

    date = models.DateField(_("date of the meeting"))
    title = models.CharField(_("title"), max_length=150)
    departments = models.ManyToManyField(Department, verbose_name=_("departments attending"), blank=True,
                                         related_name="meetings")
    other_attendees = models.TextField(_("other attendees"), blank=True,
                                       help_text=_("People and bodies not on the list, one per line."))
    minutes = models.TextField(_("minutes and decisions"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")

    def __str__(self):
        return f"{self.date} {self.title}"


class CoordinationItem(models.Model):
    """A decision of the joint meeting (协调事项): what is to be done, the department that leads it, by when."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("coordination item", "Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("coordination item", "In progress")
        DONE = "done", pgettext_lazy("coordination item", "Done")

    meeting = models.ForeignKey(Meeting, verbose_name=_("joint meeting"), on_delete=models.CASCADE,
                                related_name="items")
    description = models.TextField(_("what is to be done"))
    lead_department = models.ForeignKey(Department, verbose_name=_("lead department"), on_delete=models.PROTECT,
                                        related_name="led_items")
    other_departments = models.ManyToManyField(Department, verbose_name=_("other departments"), blank=True,
                                               related_name="shared_items")
    community = models.ForeignKey("communities.Community", verbose_name=_("community"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="coordination_items")
    project = models.ForeignKey("works.Project", verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="coordination_items")
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(_("evidence document"), upload_to="coordination/%Y/", blank=True)
    evidence_file_name = models.CharField(_("document name"), max_length=150, blank=True)
    # The platform's day the item was closed: the bulletin counts it overdue on every day before this one.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    closed_by_name = models.CharField(_("closed by"), max_length=150, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("coordination item")
        verbose_name_plural = _("coordination items")
        indexes = [models.Index(fields=["lead_department", "status"]), models.Index(fields=["due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(community__isnull=True) | Q(project__isnull=True), name="item_community_or_project",
                violation_error_message=_("An item is about a community or a project, not both.")),
            models.CheckConstraint(
                condition=Q(status="done", closed_on__isnull=False) | (~Q(status="done") & Q(closed_on__isnull=True)),
                name="item_closed_when_done",
                violation_error_message=_("A done item has the day it was closed; an open one has none.")),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(evidence=""), name="item_done_has_evidence",
                violation_error_message=_("Describe the evidence that the item is done.")),
        ]

    def __str__(self):
        return self.description[:40]


class ItemUpdate(models.Model):
    """What a department reported on an item (办理情况), and the status it left the item in."""

    item = models.ForeignKey(CoordinationItem, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=20, choices=CoordinationItem.Status.choices)
    text = models.TextField(_("progress"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.item_id} {self.status} {self.at}"


class UtilityWork(models.Model):
    """A utility's own pipe or cable work in a community (管线单位出资), with the share the utility pays."""

    community = models.ForeignKey("communities.Community", verbose_name=_("community"), on_delete=models.PROTECT,
                                  related_name="utility_works")
    utility = models.ForeignKey(Department, verbose_name=_("utility"), on_delete=models.PROTECT,
                                related_name="utility_works", limit_choices_to={"kind": "utility"})
    description = models.CharField(_("work"), max_length=200)
    quantity = models.DecimalField(_("planned quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    cost = models.DecimalField(_("cost (yuan)"), max_digits=14, decimal_places=2)
    utility_share = models.DecimalField(_("paid by the utility (yuan)"), max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("year"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["community__code", "year", "pk"]
        verbose_name = _("utility work")
        verbose_name_plural = _("utility works")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="utility_work_quantity_positive",
                                   violation_error_message=_("The planned quantity must be above zero.")),
            models.CheckConstraint(condition=Q(cost__gte=0), name="utility_work_cost_non_negative",
                                   violation_error_message=_("The cost cannot be negative.")),
            models.CheckConstraint(condition=Q(utility_share__gte=0, utility_share__lte=models.F("cost")),
                                   name="utility_work_share_within_cost",
                                   violation_error_message=_("The utility's share is between zero and the cost.")),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="utility_work_year_range",
                                   violation_error_message=_("The year must be between 2000 and 2100.")),
        ]

    def __str__(self):
        return f"{self.utility} · {self.description}"

    @property
    def share_fraction(self) -> float:
        return float(self.utility_share / self.cost) if self.cost else 0.0


class UtilityProgress(models.Model):
    """A quantity of a utility's work done on a date (an increment). Append-only: a mistake is fixed by a
    correcting entry, as contractors' reports are (works.ProgressEntry)."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        CORRECTION = "correction", _("Correction")

    work = models.ForeignKey(UtilityWork, on_delete=models.PROTECT, related_name="entries")
    date = models.DateField(_("date of the work"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REPORT)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # None: entered by the system (the demo loader, an import); the name says whose report it was.
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    reporter_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at", "-pk"]
        verbose_name = _("utility progress entry")
        verbose_name_plural = _("utility progress entries")
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="utility_entry_quantity_not_zero",
                                   violation_error_message=_("Enter a quantity other than zero.")),
            models.CheckConstraint(condition=Q(kind="correction") | Q(quantity__gt=0),
                                   name="utility_entry_report_positive",
                                   violation_error_message=_("A report adds a positive quantity; use a correction "
                                                             "to take some back.")),
            models.CheckConstraint(condition=Q(kind="report") | ~Q(reason=""),
                                   name="utility_entry_correction_has_reason",
                                   violation_error_message=_("A correction needs a reason.")),
        ]

    def __str__(self):
        return f"{self.date} {self.quantity}"


class UtilityPhoto(models.Model):
    """A site photo of a utility's report, with the date and position the camera recorded, if any."""

    entry = models.ForeignKey(UtilityProgress, on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="utility_photos/%Y/%m/")
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["entry", "pk"]

    def __str__(self):
        return self.image.name
