from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person using gaizao, with one role and, for a sub-district officer, the sub-district they serve."""

    class Role(models.TextChoices):
        BUREAU = "bureau", _("Bureau staff")
        SUBDISTRICT_OFFICER = "subdistrict_officer", _("Sub-district officer")
        CONTRACTOR = "contractor", _("Contractor")
        COMMITTEE_MEMBER = "committee_member", _("Residents' committee member")
        RESIDENT = "resident", _("Resident")
        LEADER = "leader", _("Leader (read only)")
        # A member of a department or utility on the joint meeting (gaizao.coordination): sees its own items only.
        DEPARTMENT_MEMBER = "department_member", _("Department staff")

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.BUREAU)
    subdistrict = models.ForeignKey(
        "regions.Area", verbose_name=_("sub-district"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="officers", limit_choices_to={"level": "subdistrict"},
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # The place served (gaizao.accounts.scope): a province's, city's or district's leader sees the districts under
    # it, read only; a district's bureau works in its district only. Empty: the whole platform.
    area = models.ForeignKey(
        "regions.Area", verbose_name=_("area served"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="staff", limit_choices_to={"level__in": ["province", "city", "district"]},
        help_text=_("A leader: a province, city or district, seen read only. Bureau staff: a district, the only one "
                    "they see and work in. Empty: the whole platform."),
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="subdistrict_officer") | models.Q(subdistrict__isnull=False),
                name="officer_has_subdistrict",
                violation_error_message=_("A sub-district officer must be assigned a sub-district."),
            ),
            models.CheckConstraint(
                # A leader reads (every write check refuses the role); a bureau member with an area works only in
                # it (gaizao.accounts.scope); no other role has a place of this kind.
                condition=models.Q(area__isnull=True) | models.Q(role__in=["leader", "bureau"]),
                name="area_only_for_leader_or_bureau",
                violation_error_message=_("Only a leader or bureau staff serve a province, city or district."),
            ),
        ]

    def clean(self):
        super().clean()
        # The database cannot see the area's level; a bureau runs works in one district, not a city or province.
        if self.role == self.Role.BUREAU and self.area_id is not None and self.area.level != "district":
            raise ValidationError({"area": _("Bureau staff serve one district (or, with no area, the whole "
                                             "platform).")})

    def __str__(self):
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    @property
    def sees_whole_district(self) -> bool:
        """The whole platform: a superuser, bureau staff and leaders serving no particular area. A leader of a
        province, city or district, and a district's bureau, see theirs through gaizao.accounts.scope."""
        return self.is_superuser or (self.role in (self.Role.BUREAU, self.Role.LEADER) and self.area_id is None)

    @property
    def works_on_programme(self) -> bool:
        """Bureau staff (of the whole platform or of one district), leaders and sub-district officers: the census,
        plans and programme are their work. A province's or city's leader is not."""
        return self.is_active and (self.sees_whole_district
                                   or self.role in (self.Role.SUBDISTRICT_OFFICER, self.Role.BUREAU))

    @property
    def can_edit_census(self) -> bool:
        return self.is_active and (
            self.is_superuser or self.role in (self.Role.BUREAU, self.Role.SUBDISTRICT_OFFICER)
        )
