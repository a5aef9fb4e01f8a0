from django import forms
from django.utils.translation import gettext_lazy as _

from gaizao.accounts import scope
from gaizao.communities.models import Building, Community, Problem
from gaizao.core.forms import StyledFormMixin
from gaizao.regions.models import Area


class CommunityForm(StyledFormMixin, forms.ModelForm):
    problems = forms.MultipleChoiceField(label=_("Problems recorded"), choices=Problem.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))

    class Meta:
        model = Community
        fields = ["code", "name", "subdistrict", "address", "year_built", "ownership_type", "property_management",
                  "exclusion_reason", "investment_estimate", "programme_status", "batch_year", "is_demonstration",
                  "problems", "elderly_share", "resident_support", "latitude", "longitude", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        subdistricts = Area.objects.filter(level=Area.Level.SUBDISTRICT)
        if user is not None and scope.is_district_bureau(user):
            subdistricts = subdistricts.filter(parent__in=scope.districts_for(user))
        elif user is not None and not user.sees_whole_district:
            subdistricts = subdistricts.filter(pk=user.subdistrict_id)
        self.fields["subdistrict"].queryset = subdistricts
        if self.instance.pk:
            # The code is the key imports match on; changing it would split the record's history.
            self.fields["code"].disabled = True


class BuildingForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Building
        fields = ["name", "year_built", "floors", "stairwell_units", "households", "floor_area_m2", "structure",
                  "has_elevator"]


class CensusUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Census workbook (.xlsx)"))

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB; split it into several workbooks.")
                % {"mb": self.max_bytes // (1024 * 1024)}
            )
        head = upload.read(4)
        upload.seek(0)
        # An .xlsx file is a zip archive; checking the content, not the name, catches renamed files early.
        if head != b"PK\x03\x04":
            raise forms.ValidationError(
                _("This file is not an Excel workbook (.xlsx). Save it as .xlsx or start from the template.")
            )
        return upload
