"""The form that opens a vote."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaizao.communities.models import Building, Community
from gaizao.core.forms import StyledFormMixin
from gaizao.planning.models import CommunityPlan
from gaizao.votes.models import Vote

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class VoteForm(StyledFormMixin, forms.ModelForm):
    """A new vote; its thresholds are not on the form: they follow the matter and the rules in force."""

    community = forms.ModelChoiceField(queryset=Community.objects.none(), label=gettext_lazy("Community"))

    class Meta:
        model = Vote
        fields = ["community", "title", "description", "subject", "plan", "matter", "electorate", "building",
                  "stairwell_unit", "opens_at", "closes_at"]
        widgets = {"opens_at": _DATETIME, "closes_at": _DATETIME, "description": forms.Textarea(attrs={"rows": 3})}
        labels = {"stairwell_unit": gettext_lazy("Stairwell unit"), "building": gettext_lazy("Building"),
                  "plan": gettext_lazy("Community plan")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = Community.objects.visible_to(user)
        self.fields["community"].queryset = communities
        self.fields["building"].queryset = Building.objects.filter(community__in=communities).select_related(
            "community")
        self.fields["plan"].queryset = CommunityPlan.objects.filter(community__in=communities).select_related(
            "community")
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def clean(self):
        data = super().clean()
        community, building = data.get("community"), data.get("building")
        if data.get("subject") == Vote.Subject.ELEVATOR:
            # An elevator is each stairwell's own decision (art. 278 (7)); no unit chosen: one vote per stairwell.
            data["electorate"], data["matter"] = Vote.Electorate.UNIT, Vote.Matter.REBUILD
        electorate = data.get("electorate")
        if electorate in (Vote.Electorate.BUILDING, Vote.Electorate.UNIT) and not building:
            self.add_error("building", _("Choose the building that votes."))
        if electorate == Vote.Electorate.UNIT and not data.get("stairwell_unit") \
                and data.get("subject") != Vote.Subject.ELEVATOR:
            self.add_error("stairwell_unit", _("Choose the stairwell unit that votes."))
        if community and building and building.community_id != community.pk:
            self.add_error("building", _("The building is not in this community."))
        if community and data.get("plan") and data["plan"].community_id != community.pk:
            self.add_error("plan", _("The plan is of another community."))
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The vote closes after it opens."))
        return data

    def _post_clean(self):
        # The model's own checks run in votes.create_vote, once the thresholds are filled in.
        pass
