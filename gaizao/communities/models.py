import uuid

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from gaizao.accounts.scope import districts_for


class OwnershipType(models.TextChoices):
    WORK_UNIT_COMPOUND = "work_unit", _("Work-unit compound")  # 单位家属院
    REFORMED_PUBLIC = "reformed_public", _("Reformed public housing")  # 房改房
    COMMERCIAL = "commercial", _("Commercial housing")
    MIXED = "mixed", _("Mixed")
    OTHER = "other", _("Other")


class PropertyManagement(models.TextChoices):
    NONE = "none", _("None")
    WORK_UNIT = "work_unit", _("Work unit")
    COMPANY = "company", _("Property company")
    SELF_MANAGED = "self_managed", _("Self-managed by residents")


class ExclusionReason(models.TextChoices):
    """Programmes that already cover a community, so this one does not."""

    NONE = "", _("None")
    THREE_SUPPLIES = "three_supplies", _("Three supplies and one property (三供一业)")
    SHANTY_TOWN = "shanty_town", _("Shanty-town renovation")
    COURTYARD_ROW_HOUSES = "courtyard_row_houses", _("Courtyard row houses")
    DANGEROUS_BUILDING = "dangerous_building", _("Old dangerous building")


class ProgrammeStatus(models.TextChoices):
    """实施一批、谋划一批、储备一批: implement a batch, plan a batch, reserve a batch."""

    RESERVE = "reserve", _("Reserve")
    PLANNING = "planning", _("Planning")
    IMPLEMENTING = "implementing", _("Implementing")
    COMPLETED = "completed", _("Completed")


class Structure(models.TextChoices):
    BRICK_CONCRETE = "brick_concrete", _("Brick and concrete")
    FRAME = "frame", _("Frame")
    SHEAR_WALL = "shear_wall", _("Shear wall")
    BRICK_WOOD = "brick_wood", _("Brick and wood")
    OTHER = "other", _("Other")


class Problem(models.TextChoices):
    """Problems the census records; they weigh in the need score."""

    LEAKING_ROOF = "leaking_roof", _("Leaking roof")  # 屋面漏水
    DAMAGED_WALLS = "damaged_walls", _("Damaged outer walls")  # 外墙破损
    BLOCKED_DRAINS = "blocked_drains", _("Blocked drains")  # 管网堵塞
    TANGLED_WIRES = "tangled_wires", _("Tangled overhead wires")  # 线路杂乱
    POOR_HEATING = "poor_heating", _("Poor heating")  # 供暖不足
    OLD_WATER_PIPES = "old_water_pipes", _("Old water pipes")  # 供水管老化
    DISORDERLY_PARKING = "disorderly_parking", _("Disorderly parking")  # 停车无序
    NO_LIGHTING = "no_lighting", _("No lighting")  # 无照明
    REFUSE = "refuse", _("Refuse piled up")  # 垃圾乱堆
    BROKEN_ROADS = "broken_roads", _("Broken roads")  # 道路破损


class CommunityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The communities a user may see: everything for the whole platform's bureau and leaders, the districts
        under their area for a leader or bureau serving one (accounts.scope), their own sub-district for officers."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_whole_district:
            return self
        if user.area_id is not None:  # a province's, city's or district's staff or bureau (accounts.scope)
            return self.filter(subdistrict__parent__in=districts_for(user))
        if user.role == user.Role.SUBDISTRICT_OFFICER and user.subdistrict_id:
            return self.filter(subdistrict_id=user.subdistrict_id)
        return self.none()

    def with_building_totals(self):
        """Building count, households and floor area, derived from the buildings (never stored twice).

        Each a subquery on the community's buildings rather than a join grouped by every column of the community:
        sorted by households, the whole platform's list grouped 150,000 buildings with 30,000 wide rows (150 ms
        at 50,000 communities); PostgreSQL now sums only the sort's column for every row and the others for the
        page's 50."""
        buildings = Building.objects.filter(community=OuterRef("pk")).order_by().values("community")

        def total(aggregate, output):
            return Coalesce(Subquery(buildings.annotate(total=aggregate).values("total")), Value(0),
                            output_field=output)

        return self.annotate(
            building_count=total(Count("pk"), models.IntegerField()),
            household_total=total(Sum("households"), models.IntegerField()),
            floor_area_total=total(Sum("floor_area_m2"), models.DecimalField(max_digits=14, decimal_places=2)),
        )


class Community(models.Model):
    """A residential community (小区) recorded by the census."""

    code = models.CharField(_("community code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    subdistrict = models.ForeignKey(
        "regions.Area", verbose_name=_("sub-district"), on_delete=models.PROTECT, related_name="communities",
        limit_choices_to={"level": "subdistrict"},
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    year_built = models.PositiveSmallIntegerField(_("year built"))
    ownership_type = models.CharField(
        _("ownership"), max_length=20, choices=OwnershipType.choices, default=OwnershipType.OTHER
    )
    property_management = models.CharField(
        _("property management"), max_length=20, choices=PropertyManagement.choices, default=PropertyManagement.NONE
    )
    exclusion_reason = models.CharField(
        _("exclusion reason"), max_length=30, choices=ExclusionReason.choices, blank=True, default=""
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    investment_estimate = models.DecimalField(
        _("investment estimate (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    programme_status = models.CharField(
        _("programme status"), max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.RESERVE
    )
    batch_year = models.PositiveSmallIntegerField(_("batch year"), null=True, blank=True)
    is_demonstration = models.BooleanField(_("demonstration community"), default=False)
    problems = models.JSONField(_("problems recorded"), default=list, blank=True)
    elderly_share = models.DecimalField(_("share of residents over 60 (%)"), max_digits=5, decimal_places=2,
                                        null=True, blank=True)
    resident_support = models.DecimalField(_("residents' support (%)"), max_digits=5, decimal_places=2, null=True,
                                           blank=True, help_text=_("Share of households in favour, when known."))
    # Kept by gaizao.communities.eligibility whenever census data or district rules change; stored so that
    # lists and the summary can filter on it in SQL.
    is_eligible = models.BooleanField(_("eligible"), default=False, db_index=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "name"], name="community_unique_name_per_subdistrict",
                violation_error_message=_("A community with this name already exists in the sub-district."),
            ),
            models.CheckConstraint(
                condition=Q(year_built__gte=1900, year_built__lte=2100), name="community_year_built_range"
            ),
            models.CheckConstraint(
                condition=Q(batch_year__isnull=True) | Q(batch_year__gte=2000, batch_year__lte=2100),
                name="community_batch_year_range",
            ),
            models.CheckConstraint(
                condition=Q(investment_estimate__isnull=True) | Q(investment_estimate__gte=0),
                name="community_investment_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(elderly_share__isnull=True) | Q(elderly_share__gte=0, elderly_share__lte=100),
                name="community_elderly_share_percent",
            ),
            models.CheckConstraint(
                condition=Q(resident_support__isnull=True) | Q(resident_support__gte=0, resident_support__lte=100),
                name="community_support_percent",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="community_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="community_longitude_range",
            ),
        ]
        indexes = [models.Index(fields=["subdistrict", "is_eligible"]), models.Index(fields=["batch_year"])]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def problem_labels(self) -> list[str]:
        return [str(Problem(p).label) for p in self.problems if p in Problem.values]


class Building(models.Model):
    """A residential building (楼栋) of a community."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="buildings"
    )
    name = models.CharField(_("building"), max_length=50)
    year_built = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    floors = models.PositiveSmallIntegerField(_("floors"))
    stairwell_units = models.PositiveSmallIntegerField(_("stairwell units"), default=1)
    households = models.PositiveIntegerField(_("households"))
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=12, decimal_places=2)
    structure = models.CharField(_("structure"), max_length=20, choices=Structure.choices, blank=True)
    has_elevator = models.BooleanField(_("elevator"), default=False)

    class Meta:
        ordering = ["community", "name"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"], name="building_unique_name_per_community",
                violation_error_message=_("A building with this name already exists in the community."),
            ),
            models.CheckConstraint(condition=Q(floors__gte=1, floors__lte=100), name="building_floors_range"),
            models.CheckConstraint(condition=Q(households__gte=0), name="building_households_non_negative"),
            models.CheckConstraint(condition=Q(stairwell_units__gte=0), name="building_units_non_negative"),
            models.CheckConstraint(condition=Q(floor_area_m2__gt=0), name="building_floor_area_positive"),
            models.CheckConstraint(
                condition=Q(year_built__isnull=True) | Q(year_built__gte=1900, year_built__lte=2100),
                name="building_year_built_range",
            ),
        ]

    def __str__(self):
        return self.name


class CensusImportJob(models.Model):
    """A census workbook uploaded on the web, checked and then imported by the background worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked, ready to import")
        REJECTED = "rejected", _("Refused: the file has problems")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    FINISHED = {Status.CHECKED, Status.REJECTED, Status.IMPORTED, Status.FAILED}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey("accounts.User", verbose_name=_("uploaded by"), on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    file_name = models.CharField(_("file"), max_length=200)
    language = models.CharField(max_length=10, default="zh-hans")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=50, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # Counts, the first errors and the first changes, as the page shows them.
    result = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("census import")
        verbose_name_plural = _("census imports")
        constraints = [models.CheckConstraint(condition=Q(done__lte=models.F("total")) | Q(total=0),
                                              name="import_job_done_within_total")]

    def __str__(self):
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status in (self.Status.IMPORTED, self.Status.CHECKED, self.Status.REJECTED):
            return 100
        return int(100 * self.done / self.total) if self.total else 0
