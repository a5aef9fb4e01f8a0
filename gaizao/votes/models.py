"""Owners' votes (问计, Civil Code art. 278) and their ballots."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gaizao.households.models import Channel, Household


class Vote(models.Model):
    """A decision of the owners (问计) under Civil Code art. 278, on a plan, an item or an elevator."""

    class Matter(models.TextChoices):
        """The matters of Civil Code art. 278: (6), (7) and (8) need three quarters, the others more than half."""

        PROCEDURE_RULES = "procedure_rules", _("Rules of procedure of the owners' assembly (art. 278 (1))")
        MANAGEMENT_STATUTE = "management_statute", _("The management statute (art. 278 (2))")
        COMMITTEE = "committee", _("Electing or replacing the owners' committee (art. 278 (3))")
        PROPERTY_MANAGER = "property_manager", _("Hiring or dismissing the property manager (art. 278 (4))")
        USE_FUND = "use_fund", _("Using the maintenance fund (art. 278 (5))")
        RAISE_FUND = "raise_fund", _("Raising the maintenance fund (art. 278 (6), three quarters)")
        REBUILD = "rebuild", _("Rebuilding or altering buildings and facilities, e.g. an elevator (art. 278 (7), "
                               "three quarters)")
        COMMON_PARTS = "common_parts", _("Changing the use of common parts (art. 278 (8), three quarters)")
        OTHER = "other", _("Other major matters of common ownership, e.g. a renovation plan (art. 278 (9))")

    class Subject(models.TextChoices):
        PLAN = "plan", _("Community plan")
        ITEM = "item", _("A work item")
        ELEVATOR = "elevator", _("Elevator for one stairwell unit")
        OTHER = "other", _("Other")

    class Electorate(models.TextChoices):
        COMMUNITY = "community", _("The whole community")
        BUILDING = "building", _("One building")
        UNIT = "unit", _("One stairwell unit")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="votes")
    title = models.CharField(_("question"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices, default=Subject.PLAN)
    plan = models.ForeignKey("planning.CommunityPlan", null=True, blank=True, on_delete=models.SET_NULL)
    matter = models.CharField(_("matter"), max_length=20, choices=Matter.choices, default=Matter.OTHER)
    electorate = models.CharField(_("who votes"), max_length=20, choices=Electorate.choices,
                                  default=Electorate.COMMUNITY)
    building = models.ForeignKey("communities.Building", null=True, blank=True, on_delete=models.CASCADE)
    stairwell_unit = models.PositiveSmallIntegerField(null=True, blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    # Thresholds are copied from settings when the vote is created, so a later change of local rules does not
    # change a vote already held.
    quorum_area = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.6667"))
    quorum_owners = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.6667"))
    pass_area = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.5"))
    pass_owners = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.5"))
    pass_strictly_more = models.BooleanField(default=True, help_text=_("More than (ordinary) or at least (major)."))
    rule_set = models.CharField(_("rules"), max_length=100, blank=True,
                                help_text=_("The rule set the thresholds were taken from (settings.VOTE_RULE_SET)."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The electorate is frozen when the vote opens (ElectorateUnit rows); the result is stored when it closes.
    frozen_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    result_at = models.DateTimeField(null=True, blank=True)

    # What may not change once a ballot is cast (Vote.save refuses it).
    LOCKED = ("title", "matter", "electorate", "building_id", "stairwell_unit", "subject", "plan_id", "quorum_area",
              "quorum_owners", "pass_area", "pass_owners", "pass_strictly_more", "rule_set", "opens_at")

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="vote_closes_after_opening"),
            models.CheckConstraint(condition=~Q(electorate="building") | Q(building__isnull=False),
                                   name="vote_building_electorate_has_building"),
            models.CheckConstraint(condition=~Q(electorate="unit") | Q(building__isnull=False,
                                                                        stairwell_unit__isnull=False),
                                   name="vote_unit_electorate_has_unit"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.pk and self.ballots.exists():
            stored = Vote.objects.filter(pk=self.pk).values(*self.LOCKED, "closes_at").first()
            changed = [name for name in self.LOCKED if stored and stored[name] != getattr(self, name)]
            if changed:
                raise ValidationError(_("Ballots have been cast: the question, matter, electorate and thresholds "
                                        "can no longer change (%(fields)s).") % {"fields": ", ".join(changed)},
                                      code="locked")
            if stored and self.closes_at < stored["closes_at"]:
                raise ValidationError(_("A vote with ballots cannot close earlier than announced."), code="locked")
        super().save(*args, **kwargs)

    @property
    def is_major(self) -> bool:
        return self.matter in MAJOR_MATTERS


MAJOR_MATTERS = frozenset({Vote.Matter.RAISE_FUND, Vote.Matter.REBUILD, Vote.Matter.COMMON_PARTS})


class ElectorateUnit(models.Model):
    """One exclusive unit of a vote's electorate as it stood when the vote opened: the count reads only these, so
    a later change of the register does not change a vote."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="units")
    household = models.ForeignKey(Household, null=True, on_delete=models.SET_NULL, related_name="+")
    building = models.CharField(max_length=50)
    stairwell_unit = models.PositiveSmallIntegerField()
    room = models.CharField(max_length=20)
    area_m2 = models.DecimalField(max_digits=8, decimal_places=2)
    # The owner this unit counts for in the headcount: units sharing an owner are one owner (SPC interpretation
    # art. 9, "the same buyer"); the developer's unsold or undelivered units are one owner.
    owner_key = models.CharField(max_length=200)

    class Meta:
        ordering = ["building", "stairwell_unit", "room"]
        constraints = [models.UniqueConstraint(fields=["vote", "household"], name="electorate_unit_once")]

    def __str__(self):
        return f"{self.building} {self.stairwell_unit}单元{self.room}"


class Ballot(models.Model):
    """One owner's ballot (in the headcount's sense: co-owners of a unit, or one buyer of several units, are one
    owner). The first ballot stands; only a paper ballot may be corrected, with a reason."""

    class Choice(models.TextChoices):
        YES = "yes", _("In favour")
        NO = "no", _("Against")
        ABSTAIN = "abstain", _("Abstain")

    Channel = Channel

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    voter_key = models.CharField(max_length=200)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(_("choice"), max_length=10, choices=Choice.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    cast_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "voter_key"], name="one_ballot_per_voter",
                                               violation_error_message=_("This household has already voted."))]

    def __str__(self):
        return f"{self.vote} · {self.household} · {self.choice}"
