"""Forms of the households register: committee, members, codes, the workbook upload; the household fields
other apps' forms use to find a dwelling."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaizao.accounts.models import User
from gaizao.core.forms import StyledFormMixin
from gaizao.households import access
from gaizao.households.models import Committee, Household


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
