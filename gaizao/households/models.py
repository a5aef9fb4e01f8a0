"""The households register (户籍): dwellings and their owners, residents' committees and the one-time access
codes residents identify with."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a household's answer reached us: a ballot or a survey form, online or entered from paper."""

    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper ballot entered by the committee")


class Household(models.Model):
    """A dwelling (户) in a building and stairwell unit, with its exclusive floor area."""

    building = models.ForeignKey("communities.Building", verbose_name=_("building"), on_delete=models.CASCADE,
                                 related_name="dwellings")
    stairwell_unit = models.PositiveSmallIntegerField(_("stairwell unit"), default=1)
    room = models.CharField(_("room"), max_length=20)
    exclusive_area_m2 = models.DecimalField(_("exclusive floor area (m²)"), max_digits=8, decimal_places=2)
    # Votes count the area in the property register; the measured (exclusive) area where none is registered.
    registered_area_m2 = models.DecimalField(_("registered floor area (m²)"), max_digits=8, decimal_places=2,
                                             null=True, blank=True)
    developer_held = models.BooleanField(_("unsold or undelivered (developer)"), default=False, db_default=False,
                                         help_text=_(
        "The developer's units not sold or not yet delivered count as one owner in a vote."))
    owner_occupied = models.BooleanField(_("owner lives here"), default=True)

    class Meta:
        ordering = ["building", "stairwell_unit", "room"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["building", "stairwell_unit", "room"], name="household_unique_room"),
            models.CheckConstraint(condition=Q(exclusive_area_m2__gt=0), name="household_area_positive"),
            models.CheckConstraint(condition=Q(registered_area_m2__isnull=True) | Q(registered_area_m2__gt=0),
                                   name="household_registered_area_positive"),
            models.CheckConstraint(condition=Q(stairwell_unit__gte=1), name="household_unit_from_one"),
        ]

    def __str__(self):
        return f"{self.stairwell_unit}单元{self.room}"

    @property
    def voting_area_m2(self):
        return self.registered_area_m2 if self.registered_area_m2 is not None else self.exclusive_area_m2


class Owner(models.Model):
    """A person who owns one or more households of a community. Phone and ID are stored, shown masked."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="owners")
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)

    class Meta:
        ordering = ["community", "name"]
        verbose_name = _("owner")
        verbose_name_plural = _("owners")
        constraints = [models.UniqueConstraint(fields=["community", "id_number"], condition=~Q(id_number=""),
                                               name="owner_unique_id_per_community")]

    def __str__(self):
        return self.name


class Ownership(models.Model):
    """Owner ↔ household; several owners of one household are co-owners and share one vote."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="ownerships")
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="ownerships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "owner"], name="ownership_once")]

    def __str__(self):
        return f"{self.owner} · {self.household}"


class Committee(models.Model):
    """A residents' committee (临时管委会) or owners' committee (业委会) of a community."""

    class Kind(models.TextChoices):
        TEMPORARY = "temporary", _("Temporary residents' committee")
        OWNERS = "owners", _("Owners' committee")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="committees")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEMPORARY)
    name = models.CharField(_("name"), max_length=100)

    def __str__(self):
        return self.name


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="committee_roles")
    role = models.CharField(_("role"), max_length=30, default="member")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["committee", "user"], name="committee_member_once")]

    def __str__(self):
        return f"{self.user} · {self.committee}"


class AccessCode(models.Model):
    """A one-time code the committee hands to a household; with it a resident identifies on a phone."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="access_codes")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"{self.household} ({self.created_at:%Y-%m-%d})"
