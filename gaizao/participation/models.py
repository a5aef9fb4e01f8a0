"""Residents in the loop: households and owners, committees, access codes, surveys, votes, feedback, notices."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Household(models.Model):
    """A dwelling (户) in a building and stairwell unit, with its exclusive floor area."""

    building = models.ForeignKey("communities.Building", verbose_name=_("building"), on_delete=models.CASCADE,
                                 related_name="dwellings")
    stairwell_unit = models.PositiveSmallIntegerField(_("stairwell unit"), default=1)
    room = models.CharField(_("room"), max_length=20)
    exclusive_area_m2 = models.DecimalField(_("exclusive floor area (m²)"), max_digits=8, decimal_places=2)
    owner_occupied = models.BooleanField(_("owner lives here"), default=True)

    class Meta:
        ordering = ["building", "stairwell_unit", "room"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["building", "stairwell_unit", "room"], name="household_unique_room"),
            models.CheckConstraint(condition=Q(exclusive_area_m2__gt=0), name="household_area_positive"),
            models.CheckConstraint(condition=Q(stairwell_unit__gte=1), name="household_unit_from_one"),
        ]

    def __str__(self):
        return f"{self.stairwell_unit}单元{self.room}"


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

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper ballot entered by the committee")

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


class Survey(models.Model):
    """Asking residents: what they need before (问需), how satisfied they are after (问效)."""

    class Kind(models.TextChoices):
        NEEDS = "needs", _("Needs survey")
        SATISFACTION = "satisfaction", _("Satisfaction survey")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    project = models.ForeignKey("works.Project", null=True, blank=True, on_delete=models.SET_NULL)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))

    def __str__(self):
        return self.title


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="survey_responses")
    answers = models.JSONField(default=dict)
    channel = models.CharField(max_length=10, choices=Ballot.Channel.choices, default=Ballot.Channel.ONLINE)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "household"], name="one_response_per_household")]

    def __str__(self):
        return f"{self.survey} · {self.household}"


class Feedback(models.Model):
    """A resident's report of a problem (诉求), routed to whoever is responsible, with a due date."""

    class Category(models.TextChoices):
        QUALITY = "quality", _("Quality of the work")
        SAFETY = "safety", _("Safety on the site")
        NOISE = "noise", _("Noise or dust")
        UTILITIES = "utilities", _("Water, power, heating or gas")
        OTHER = "other", _("Other")

    class Responsible(models.TextChoices):
        CONTRACTOR = "contractor", _("Contractor")
        SUBDISTRICT = "subdistrict", _("Sub-district office")
        UTILITY = "utility", _("Utility company")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered, waiting for the resident")
        CLOSED = "closed", _("Closed")

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="feedback")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = models.TextField(_("what is wrong"))
    photo = models.ImageField(_("photo"), upload_to="feedback/%Y/%m/", blank=True)
    responsible = models.CharField(_("responsible"), max_length=20, choices=Responsible.choices)
    company = models.ForeignKey("works.Company", null=True, blank=True, on_delete=models.SET_NULL)
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self):
        return f"{self.get_category_display()}: {self.text[:30]}"


class FeedbackEvent(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20)
    text = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]

    def __str__(self):
        return f"{self.kind} {self.at}"


class Notice(models.Model):
    """An announcement to a community, a sub-district or the whole district."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    area = models.ForeignKey("regions.Area", null=True, blank=True, on_delete=models.CASCADE,
                             help_text=_("A sub-district or the district; empty when for one community."))
    community = models.ForeignKey("communities.Community", null=True, blank=True, on_delete=models.CASCADE)
    published_at = models.DateTimeField(_("published"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-published_at"]
        constraints = [models.CheckConstraint(condition=Q(area__isnull=False) | Q(community__isnull=False),
                                              name="notice_has_audience")]

    def __str__(self):
        return self.title
