from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """An administrative area: province (省) → city (市) → district (区) → sub-district (办事处/街道) →
    neighbourhood (社区). A city may stand alone (a platform run by one city or district) or under a province."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        SUBDISTRICT = "subdistrict", _("Sub-district")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood committee")

    PARENT_LEVEL = {
        Level.CITY: Level.PROVINCE,
        Level.DISTRICT: Level.CITY,
        Level.SUBDISTRICT: Level.DISTRICT,
        Level.NEIGHBOURHOOD: Level.SUBDISTRICT,
    }
    # Levels that may stand at the top of the tree; a city's province is optional (older workbooks have none).
    TOP_LEVELS = (Level.PROVINCE, Level.CITY)

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("division code"), max_length=20, unique=True, null=True, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent area"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["level", "code", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="area_unique_name_per_parent",
                violation_error_message=_("An area with this name already exists under the same parent."),
            ),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(parent__isnull=True), name="area_unique_top_level_name",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=["province", "city"]) | models.Q(parent__isnull=False),
                name="area_parent_required_below_city",
                violation_error_message=_("Only a province or a city may have no parent area."),
            ),
            models.CheckConstraint(
                condition=~models.Q(level="province") | models.Q(parent__isnull=True),
                name="area_province_is_top_level",
                violation_error_message=_("A province has no parent area."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def district(self):
        """The district this area lies in (itself for a district)."""
        area = self
        while area is not None and area.level != self.Level.DISTRICT:
            area = area.parent
        return area


class DistrictSettings(models.Model):
    """Rules that differ between districts: the cut-off year for "old" and the default cost per m²."""

    district = models.OneToOneField(
        Area, verbose_name=_("district"), on_delete=models.CASCADE, related_name="settings",
        limit_choices_to={"level": Area.Level.DISTRICT},
    )
    cutoff_year = models.PositiveSmallIntegerField(
        _("cut-off year"), default=2000,
        help_text=_("Communities built in this year or earlier count as old."),
    )
    default_cost_per_m2 = models.DecimalField(
        _("default cost per m² (yuan)"), max_digits=10, decimal_places=2, default=Decimal("612.00"),
        help_text=_("Used for a community's investment when it has no estimate of its own."),
    )
    # 改造成效由群众评判: the bureau sets it on its acceptance settings page; empty follows the server's
    # SATISFACTION_MIN_RATE, 0 asks for no minimum.
    satisfaction_min_rate = models.DecimalField(
        _("minimum residents' satisfaction for acceptance"), max_digits=5, decimal_places=4, null=True,
        blank=True, help_text=_("0.8 means 80 percent. Empty: the server's setting."),
    )

    class Meta:
        verbose_name = _("district settings")
        verbose_name_plural = _("district settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cutoff_year__gte=1900, cutoff_year__lte=2100), name="district_cutoff_year_range"
            ),
            models.CheckConstraint(condition=models.Q(default_cost_per_m2__gt=0), name="district_cost_positive"),
            models.CheckConstraint(
                condition=models.Q(satisfaction_min_rate__isnull=True)
                | models.Q(satisfaction_min_rate__gte=0, satisfaction_min_rate__lte=1),
                name="district_satisfaction_min_range",
                violation_error_message=_("The minimum satisfaction is a share from 0 to 100 percent."),
            ),
        ]

    def __str__(self):
        return str(self.district)
