from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gaizao.core import clock
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


class MultipleFileField(forms.FileField):
    """Several photos in one field (Django's FileField takes one)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(one, initial) for one in files]


class ReportForm(StyledFormMixin, forms.Form):
    """Today's quantities for each item of the project (fields qty_<project item id> are added per item)."""

    date = forms.DateField(label=_("Date of the work"), initial=clock.today,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    variation_reason = forms.CharField(label=_("Variation reason (only to go past the planned quantity)"),
                                       required=False, max_length=300)
    photos = MultipleFileField(label=_("Photos"), required=False,
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

    def clean_photos(self):
        from gaizao.works.photos import check_image

        for upload in self.cleaned_data["photos"]:
            try:
                check_image(upload)
            except ValidationError as error:
                raise forms.ValidationError(f"{upload.name}: {' '.join(error.messages)}") from None
        return self.cleaned_data["photos"]

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > clock.today():
            raise forms.ValidationError(_("The date of the work cannot be in the future."))
        return day


class CorrectionForm(StyledFormMixin, forms.Form):
    quantity = forms.DecimalField(label=_("Change (negative takes back)"), decimal_places=2, max_digits=12)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AcceptanceForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), initial=clock.today,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    checks = forms.MultipleChoiceField(label=_("Checklist"), choices=CHECKS, required=False,
                                       widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    participants = forms.CharField(label=_("Participants (one per line, resident representatives among them)"),
                                   widget=forms.Textarea(attrs={"rows": 4}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    documents = MultipleFileField(label=_("Documents (PDF, Word, Excel or photos)"), required=False)

    def clean_documents(self):
        for upload in self.cleaned_data["documents"]:
            if upload.size > 20 * 1024 * 1024:
                raise forms.ValidationError(_("%(name)s is larger than 20 MB.") % {"name": upload.name})
            head = upload.read(8)
            upload.seek(0)
            # Checked by content: PDF, Office (zip) files, JPEG or PNG.
            if not (head.startswith(b"%PDF") or head.startswith(b"PK\x03\x04") or head.startswith(b"\xff\xd8")
                    or head.startswith(b"\x89PNG")):
                raise forms.ValidationError(_("%(name)s is not a PDF, Word, Excel or photo file.")
                                            % {"name": upload.name})
        return self.cleaned_data["documents"]


class AcceptanceCorrectionForm(AcceptanceForm):
    """The acceptance's new values and why; the page fills in the current ones."""

    reason = forms.CharField(label=_("Reason for the correction"), max_length=300,
                             error_messages={"required": _("Give the reason for the correction: it is kept with "
                                                           "the record.")},
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, acceptance=None, **kwargs):
        if acceptance is not None and not args and "data" not in kwargs:
            kwargs["initial"] = {"date": acceptance.date, "participants": acceptance.participants,
                                 "notes": acceptance.notes,
                                 "checks": [key for key, _label in CHECKS if (acceptance.checklist or {}).get(key)]}
        super().__init__(*args, **kwargs)

    def checklist(self) -> dict:
        return {key: key in self.cleaned_data["checks"] for key, _label in CHECKS}


def _percent_number(rate):
    """0.8000 -> 80, 0.855 -> 85.5 (never 8E+1, which Decimal.normalize gives)."""
    if rate is None:
        return None
    value = (rate * 100).quantize(Decimal("0.1"))
    return int(value) if value == value.to_integral_value() else value


class SatisfactionMinimumForm(StyledFormMixin, forms.Form):
    """The bureau's minimum residents' satisfaction for acceptance, in percent, one field per district."""

    def __init__(self, *args, districts=(), server=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.districts = list(districts)
        for district, rate in self.districts:
            self.fields[f"min_{district.pk}"] = forms.DecimalField(
                label=_("%(district)s: minimum satisfaction (percent)") % {"district": district.name},
                required=False, min_value=0, max_value=100, decimal_places=1, max_digits=4,
                initial=_percent_number(rate),
                help_text=_("0 asks for no minimum; empty follows the server's setting (%(server)s).")
                % {"server": server},
                error_messages={"min_value": _("Write a percentage from 0 to 100."),
                                "max_value": _("Write a percentage from 0 to 100."),
                                "invalid": _("Write a percentage from 0 to 100, for example 80.")},
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}))

    def rates(self):
        """(district, share 0–1 or None) as typed."""
        for district, _rate in self.districts:
            value = self.cleaned_data.get(f"min_{district.pk}")
            yield district, (None if value is None else value / 100)
