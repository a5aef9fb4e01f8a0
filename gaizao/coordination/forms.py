"""Forms of the joint meeting's pages. The rules live in the services; a form only parses and keeps what was
typed, and the view adds the service's refusals to it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gaizao.communities.models import Community
from gaizao.coordination.models import Department, UtilityWork
from gaizao.coordination.services import MAX_TEXT
from gaizao.core import clock
from gaizao.core.forms import StyledFormMixin
from gaizao.works.forms import MultipleFileField, MultipleFileInput
from gaizao.works.models import Project

DATE_WIDGET = {"type": "date"}


class MeetingForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Date of the meeting"), initial=clock.today,
                           widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    title = forms.CharField(label=_("Title"), max_length=150)
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments attending"), queryset=Department.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    other_attendees = forms.CharField(label=_("Other attendees (one per line)"), required=False,
                                      max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("Minutes and decisions"), required=False, max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 6}))


class ItemForm(StyledFormMixin, forms.Form):
    """A decision of the meeting. Lead department and due date are checked by the service, which says why."""

    description = forms.CharField(label=_("What is to be done"), max_length=MAX_TEXT, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    lead_department = forms.ModelChoiceField(label=_("Lead department"), queryset=Department.objects.all(),
                                             required=False, empty_label="—")
    other_departments = forms.ModelMultipleChoiceField(
        label=_("Other departments"), queryset=Department.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    community = forms.ModelChoiceField(label=_("Community (optional)"), queryset=Community.objects.none(),
                                       required=False, to_field_name="code", empty_label="—")
    project = forms.ModelChoiceField(label=_("or project (optional)"), queryset=Project.objects.none(),
                                     required=False, to_field_name="code", empty_label="—")
    due_date = forms.DateField(label=_("Due date"), required=False,
                               widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))

    def __init__(self, *args, communities=None, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities if communities is not None else Community.objects.none()
        self.fields["project"].queryset = projects if projects is not None else Project.objects.none()
        self.fields["community"].label_from_instance = lambda c: f"{c.name}（{c.code}）"
        self.fields["project"].label_from_instance = lambda p: f"{p.code} {p.name}"


class UpdateForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("How the item is going"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(StyledFormMixin, forms.Form):
    evidence = forms.CharField(label=_("Evidence that it is done"), max_length=MAX_TEXT, required=False,
                               help_text=_("What was done, when, and where it can be checked."),
                               widget=forms.Textarea(attrs={"rows": 4}))
    document = forms.FileField(label=_("Document (optional: PDF, Word, Excel or a photo, at most 20 MB)"),
                               required=False)


class ReviseForm(StyledFormMixin, forms.Form):
    """The bureau's correction of an item: another lead department or due date, with the reason."""

    lead_department = forms.ModelChoiceField(label=_("Lead department"), queryset=Department.objects.all(),
                                             required=False, empty_label="—")
    due_date = forms.DateField(label=_("Due date"), required=False,
                               widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("Reason"), max_length=MAX_TEXT, required=False,
                             help_text=_("E.g. the joint meeting of 2021年12月1日 extended the deadline."),
                             widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why the item is reopened"), max_length=MAX_TEXT, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class UtilityWorkForm(StyledFormMixin, forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none(),
                                       to_field_name="code", empty_label="—")
    utility = forms.ModelChoiceField(label=_("Utility"), queryset=Department.objects.filter(
        kind=Department.Kind.UTILITY), empty_label="—")
    description = forms.CharField(label=_("Work"), max_length=200)
    quantity = forms.DecimalField(label=_("Planned quantity"), max_digits=12, decimal_places=2, min_value=0)
    unit = forms.ChoiceField(label=_("Unit"), choices=UtilityWork._meta.get_field("unit").choices)
    cost = forms.DecimalField(label=_("Cost (yuan)"), max_digits=14, decimal_places=2, min_value=0)
    share_yuan = forms.DecimalField(label=_("Paid by the utility (yuan)"), max_digits=14, decimal_places=2,
                                    min_value=0, required=False)
    share_percent = forms.DecimalField(label=_("or its share of the cost (percent)"), max_digits=5,
                                       decimal_places=2, min_value=0, max_value=100, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              initial=lambda: clock.today().year)

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities if communities is not None else Community.objects.none()
        self.fields["community"].label_from_instance = lambda c: f"{c.name}（{c.code}）"


class UtilityReportForm(StyledFormMixin, forms.Form):
    """A utility's report on a phone: the day, the quantity done, photos if any."""

    date = forms.DateField(label=_("Date of the work"), initial=clock.today,
                           widget=forms.DateInput(attrs={**DATE_WIDGET, "class": "form-control form-control-lg"},
                                                  format="%Y-%m-%d"))
    quantity = forms.DecimalField(label=_("Quantity done"), max_digits=12, decimal_places=2,
                                  widget=forms.NumberInput(attrs={"class": "form-control form-control-lg",
                                                                  "inputmode": "decimal", "step": "any"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    variation_reason = forms.CharField(label=_("Variation reason (only to go past the planned quantity)"),
                                       required=False, max_length=300)
    photos = MultipleFileField(label=_("Photos (optional)"), required=False,
                               widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp",
                                                               "capture": "environment"}))

    def clean_photos(self):
        from gaizao.works.photos import check_image

        for upload in self.cleaned_data["photos"]:
            try:
                check_image(upload)
            except ValidationError as error:
                raise forms.ValidationError(f"{upload.name}: {' '.join(error.messages)}") from None
        return self.cleaned_data["photos"]


class CorrectionForm(StyledFormMixin, forms.Form):
    quantity = forms.DecimalField(label=_("Change (negative takes back)"), max_digits=12, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=300)
