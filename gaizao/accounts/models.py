from django.contrib.auth.models import AbstractUser
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
    # A leader's place (gaizao.accounts.scope): a province's, city's or district's staff see the districts under
    # it, read only. Empty: the whole platform, as before provinces were kept.
    area = models.ForeignKey(
        "regions.Area", verbose_name=_("area served"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="staff", limit_choices_to={"level__in": ["province", "city", "district"]},
        help_text=_("A province, city or district: the user sees only the districts under it, read only."),
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
                # Read only by role: every write check in the platform already refuses a leader.
                condition=models.Q(area__isnull=True) | models.Q(role="leader"),
                name="area_only_for_leader",
                violation_error_message=_("Only a leader (read only) serves a province, city or district."),
            ),
        ]

    def __str__(self):
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    @property
    def sees_whole_district(self) -> bool:
        """The whole platform: a superuser, bureau staff, and leaders serving no particular area. A leader of a
        province, city or district sees theirs through gaizao.accounts.scope."""
        return self.is_superuser or (self.role in (self.Role.BUREAU, self.Role.LEADER) and self.area_id is None)

    @property
    def works_on_programme(self) -> bool:
        """Bureau staff, leaders and sub-district officers: the census, plans and programme are their work."""
        return self.is_active and (self.sees_whole_district or self.role == self.Role.SUBDISTRICT_OFFICER)

    @property
    def can_edit_census(self) -> bool:
        return self.is_active and (
            self.is_superuser or self.role in (self.Role.BUREAU, self.Role.SUBDISTRICT_OFFICER)
        )
