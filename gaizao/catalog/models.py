from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Tier(models.TextChoices):
    """National tiers of renovation content (国办发〔2020〕23号)."""

    BASIC = "basic", _("Basic (基础类)")
    IMPROVEMENT = "improvement", _("Improvement (完善类)")
    UPGRADE = "upgrade", _("Upgrade (提升类)")


class ContentGroup(models.TextChoices):
    EXTERIOR = "exterior", _("Building exterior repair")  # 建筑外部修缮
    INTERIOR = "interior", _("Common areas inside buildings")  # 楼内公共修缮
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")  # 基础设施改造
    ENVIRONMENT = "environment", _("Public environment")  # 公共环境改造
    SERVICES = "services", _("Service facilities")  # 服务设施改造


class Unit(models.TextChoices):
    SQUARE_METRE = "m2", "m²"
    METRE = "m", "m"
    HOUSEHOLD = "household", pgettext_lazy("unit", "household")  # 户
    ELEVATOR = "elevator", pgettext_lazy("unit", "elevator")  # 部
    PIECE = "piece", pgettext_lazy("unit", "piece")  # 个
    DOOR = "door", pgettext_lazy("unit", "door or window")  # 樘
    LAMP = "lamp", pgettext_lazy("unit", "lamp")  # 盏
    LUMP_SUM = "lump_sum", pgettext_lazy("unit", "lump sum")  # 项


class QuantityRule(models.TextChoices):
    """How a community plan proposes this item's quantity from the census (then staff edit it)."""

    NONE = "none", _("Entered by hand")
    HOUSEHOLDS = "households", _("Households")
    FACADE_AREA = "facade_area", _("Façade area (from floors and footprint)")
    ROOF_AREA = "roof_area", _("Roof area (footprint)")
    STAIRWELL_AREA = "stairwell_area", _("Stairwell wall area")
    FLOOR_AREA = "floor_area", _("Floor area")
    BUILDINGS = "buildings", _("Buildings")
    STAIRWELL_UNITS = "stairwell_units", _("Stairwell units")
    PIPE_LENGTH = "pipe_length", _("Pipe length (per building)")
    ONE = "one", _("One per community")


class WarrantyKind(models.TextChoices):
    """What a warranty period counts: calendar years, or heating seasons for heating work (art. 40)."""

    YEARS = "years", _("years")
    HEATING_SEASONS = "heating_seasons", _("heating seasons")


class WorkItem(models.Model):
    """A kind of renovation work (改造内容) with its tier, content group and unit."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    content_group = models.CharField(_("content group"), max_length=20, choices=ContentGroup.choices)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    quantity_rule = models.CharField(_("proposed quantity"), max_length=20, choices=QuantityRule.choices,
                                     default=QuantityRule.NONE)
    # 先民生后提升: the newspaper counts elevators, smart community, squares and elderly care as "upgrade"
    # work done after the basic work, although the national list files elevators under improvement.
    after_basic = models.BooleanField(_("done after basic work"), default=False,
                                      help_text=_("Scheduled no earlier than the community's basic work."))
    active = models.BooleanField(_("in use"), default=True)
    description = models.TextField(_("description"), blank=True)
    # The minimum warranty from completion acceptance (建设工程质量管理条例 art. 40); its end is computed from
    # each project's acceptance date (catalog.warranty), never stored.
    warranty_number = models.PositiveSmallIntegerField(_("warranty period"), default=2,
                                                       validators=[MinValueValidator(1), MaxValueValidator(100)])
    warranty_kind = models.CharField(_("warranty counted in"), max_length=20, choices=WarrantyKind.choices,
                                     default=WarrantyKind.YEARS)

    class Meta:
        ordering = ["code"]
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        constraints = [
            models.CheckConstraint(condition=Q(warranty_number__gte=1, warranty_number__lte=100),
                                   name="work_item_warranty_range",
                                   violation_error_message=_("A warranty period is from 1 to 100.")),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def warranty_text(self) -> str:
        """5年 / 2个采暖期."""
        from gaizao.catalog.warranty import period_text

        return period_text(self.warranty_kind, self.warranty_number)


class UnitCost(models.Model):
    """A work item's unit cost from a date on; the cost in force on a date is the latest one on or before it."""

    item = models.ForeignKey(WorkItem, verbose_name=_("work item"), on_delete=models.CASCADE, related_name="costs")
    valid_from = models.DateField(_("valid from"))
    yuan = models.DecimalField(_("unit cost (yuan)"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["item", "-valid_from"]
        verbose_name = _("unit cost")
        verbose_name_plural = _("unit costs")
        constraints = [
            models.UniqueConstraint(fields=["item", "valid_from"], name="unit_cost_one_per_day",
                                    violation_error_message=_("This item already has a cost from that date.")),
            models.CheckConstraint(condition=Q(yuan__gt=0), name="unit_cost_positive",
                                   violation_error_message=_("A unit cost must be more than 0.")),
        ]

    def __str__(self):
        return f"{self.item.code} {self.valid_from}: {self.yuan}"
