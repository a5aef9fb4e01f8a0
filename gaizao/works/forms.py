import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaizao.core.forms import StyledFormMixin
from gaizao.works.models import Photo

CHECKS = [
    ("documents", _("Construction records complete")),
    ("quantities", _("Quantities verified on site")),
    ("quality", _("Quality inspection passed")),
    ("residents", _("Resident representatives took part")),
    ("handover", _("Utility assets handed over")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ReportForm(StyledFormMixin, forms.Form):
    """Today's quantities for each item of the project (fields qty_<project item id> are added per item)."""

    date = forms.DateField(label=_("Date of the work"), initial=timezone.localdate,
                           widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    variation_reason = forms.CharField(label=_("Variation reason (only to go past the planned quantity)"),
                                       required=False, max_length=300)
    photos = forms.FileField(label=_("Photos"), required=False,
                             widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))
    stage = forms.ChoiceField(label=_("Photos show"), choices=Photo.Stage.choices, initial=Photo.Stage.DURING)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"qty_{item.pk}"] = forms.DecimalField(
                label=item.plan_item.item.name, required=False, min_value=0, decimal_places=2, max_digits=12,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-lg", "inputmode": "decimal",
                                                "step": "any"}))

    def quantities(self) -> dict:
        return {item.pk: self.cleaned_data.get(f"qty_{item.pk}") for item in self.items}

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of the work cannot be in the future."))
        return day


class CorrectionForm(StyledFormMixin, forms.Form):
    quantity = forms.DecimalField(label=_("Change (negative takes back)"), decimal_places=2, max_digits=12)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AcceptanceForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), initial=datetime.date.today, widget=forms.DateInput(attrs={"type": "date"}))
    checks = forms.MultipleChoiceField(label=_("Checklist"), choices=CHECKS, required=False,
                                       widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    participants = forms.CharField(label=_("Participants (one per line, resident representatives among them)"),
                                   widget=forms.Textarea(attrs={"rows": 4}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
