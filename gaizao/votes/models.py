"""Owners' votes (问计, Civil Code art. 278) and their ballots."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gaizao.households.models import Channel, Household


class Vote(models.Model):
    """A decision of the owners (问计) under Civil Code art. 278, on a plan, an item or an elevator."""

    class Matter(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary matter (more than half)")
        MAJOR = "major", _("Major matter (three quarters)")

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
    matter = models.CharField(_("matter"), max_length=20, choices=Matter.choices, default=Matter.ORDINARY)
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
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

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


class Ballot(models.Model):
    """One voter's ballot. A voter is the set of owners of a household; owners of several units vote once."""

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
