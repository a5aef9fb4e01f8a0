"""Forms of the residents' pages (identify, answer a survey) and of the staff pages that manage them."""

import datetime

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaizao.accounts.models import User
from gaizao.catalog.models import ContentGroup
from gaizao.core.forms import StyledFormMixin
from gaizao.participation import access, surveys
from gaizao.participation.models import Committee, Household, Survey

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def household_label(household) -> str:
    return f"{household.building.name} {household.stairwell_unit}单元 {household.room}"


class HouseholdFieldsMixin:
    """Building, stairwell unit and room: how a resident (or the committee) names a dwelling."""

    def _add_household_fields(self, community):
        self.community = community
        buildings = community.buildings.order_by("name").values_list("pk", "name")
        self.fields["building"] = forms.TypedChoiceField(label=_("Building"), coerce=int,
                                                         choices=[("", "—")] + list(buildings))
        self.fields["unit"] = forms.IntegerField(label=pgettext_lazy("stairwell", "Unit"), min_value=1, max_value=99,
                                                 initial=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
        self.fields["room"] = forms.CharField(label=_("Room"), max_length=20,
                                              widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                            "autocomplete": "off"}))
        self.fields["building"].widget.attrs.setdefault("class", "form-select")
        for name in ("unit", "room"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")

    def find_household(self):
        data = self.cleaned_data
        room = access.normalise(str(data.get("room", ""))).removesuffix("室")
        return (Household.objects.select_related("building__community")
                .filter(building__community=self.community, building_id=data.get("building"),
                        stairwell_unit=data.get("unit"), room=room).first())


class IdentifyForm(HouseholdFieldsMixin, StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Access code"), max_length=20,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "pattern": "[0-9０-９ ]*"}))

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_household_fields(community)
        self.order_fields(["building", "unit", "room", "code"])
        for field in self.fields.values():
            field.widget.attrs["class"] = field.widget.attrs.get("class", "") + " form-control-lg"


def _item_choices():
    groups = dict(ContentGroup.choices)
    grouped: dict[str, list] = {}
    for item in surveys.needs_choices():
        grouped.setdefault(str(groups.get(item.content_group, item.content_group)), []).append((item.code, item.name))
    return [("", "—")] + list(grouped.items())


class NeedsForm(StyledFormMixin, forms.Form):
    """Up to five items in order: a select per place works on any phone, with no script."""

    def __init__(self, *args, initial_items=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _item_choices()
        for place in range(1, surveys.NEEDS_MAX + 1):
            self.fields[f"choice_{place}"] = forms.ChoiceField(
                label=_("Choice %(n)s") % {"n": place}, choices=choices, required=place == 1)
        for place, code in enumerate(initial_items or [], start=1):
            self.initial[f"choice_{place}"] = code

    def clean(self):
        data = super().clean()
        items = [data.get(f"choice_{place}") for place in range(1, surveys.NEEDS_MAX + 1)]
        items = [code for code in items if code]
        if len(set(items)) != len(items):
            raise forms.ValidationError(_("Each item may be chosen once."))
        data["answers"] = {"items": items}
        return data


class SatisfactionForm(forms.Form):
    def __init__(self, *args, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in surveys.QUESTIONS:
            self.fields[key] = forms.ChoiceField(label=label, choices=surveys.LEVELS, widget=forms.RadioSelect)
            if initial_answers and key in initial_answers:
                self.initial[key] = initial_answers[key]

    def clean(self):
        data = super().clean()
        data["answers"] = {key: data.get(key) for key in surveys.QUESTION_KEYS}
        return data


def answer_form(survey, data=None, answers=None):
    if survey.kind == Survey.Kind.NEEDS:
        return NeedsForm(data, initial_items=(answers or {}).get("items"))
    return SatisfactionForm(data, initial_answers=answers)


class PaperHouseholdForm(HouseholdFieldsMixin, StyledFormMixin, forms.Form):
    """Which household's paper form the committee is entering."""

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_household_fields(community)

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.household = self.find_household()
            if self.household is None:
                raise forms.ValidationError(_("No household with this building, unit and room is registered."))
        return data


class SurveyForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Survey.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_at = forms.DateTimeField(label=_("Opens"), widget=_DATETIME, input_formats=_DATETIME_FORMATS)
    closes_at = forms.DateTimeField(label=_("Closes"), widget=_DATETIME, input_formats=_DATETIME_FORMATS)
    project = forms.ModelChoiceField(label=_("Project (for a satisfaction survey)"), queryset=None, required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["project"].queryset = community.projects.filter(status__in=surveys.FINISHED).order_by("code")
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["opens_at"].initial = now
        self.fields["closes_at"].initial = now + datetime.timedelta(days=14)

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The survey must close after it opens."))
        if data.get("kind") == Survey.Kind.SATISFACTION and not data.get("project"):
            self.add_error("project", _("Choose the completed project the residents judge."))
        return data


class SurveyDatesForm(StyledFormMixin, forms.Form):
    opens_at = forms.DateTimeField(label=_("Opens"), widget=_DATETIME, input_formats=_DATETIME_FORMATS)
    closes_at = forms.DateTimeField(label=_("Closes"), widget=_DATETIME, input_formats=_DATETIME_FORMATS)

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The survey must close after it opens."))
        return data


class CommitteeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Committee
        fields = ["kind", "name"]


MEMBER_ROLES = [("chair", _("Chair")), ("vice_chair", _("Vice chair")), ("member", _("Member"))]


class MemberForm(StyledFormMixin, forms.Form):
    """Add a member: an existing committee-member account, or a new one with a first password."""

    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role in the committee"), choices=MEMBER_ROLES, initial="member")
    password = forms.CharField(label=_("First password (new accounts only)"), required=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        username = data.get("username")
        if not username:
            return data
        self.user = User.objects.filter(username=username).first()
        if self.user is not None:
            if self.user.role != User.Role.COMMITTEE_MEMBER:
                self.add_error("username", _("This account has another role; committee members need an account "
                                             "of their own."))
        else:
            password = data.get("password")
            if not password:
                self.add_error("password", _("A new account needs a first password."))
            else:
                try:
                    validate_password(password, User(username=username, first_name=data.get("full_name", "")))
                except forms.ValidationError as error:
                    self.add_error("password", error)
        return data


class IssueCodesForm(StyledFormMixin, forms.Form):
    building = forms.TypedChoiceField(label=_("Building"), coerce=int)
    unit = forms.IntegerField(label=_("Unit (empty: every unit)"), min_value=1, max_value=99, required=False)
    only_without_code = forms.BooleanField(label=_("Only households without a valid code"), required=False,
                                           initial=True)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].choices = list(community.buildings.order_by("name").values_list("pk", "name"))


class HouseholdsUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Households workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check, write nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(_("This file is not an Excel workbook (.xlsx). Save it as .xlsx or start "
                                          "from the template."))
        return upload
