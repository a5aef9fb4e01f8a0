from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from gaizao.aftercare import services
from gaizao.aftercare.models import AftercareSettings, ManagementArrangement
from gaizao.core import clock
from gaizao.core.forms import StyledFormMixin

PHONE = RegexValidator(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$", _("Enter a phone number: digits, with a dash or spaces "
                                                           "if you like (0359-2285106, 13812345678)."))


class ArrangementForm(StyledFormMixin, forms.ModelForm):
    """A management arrangement: a new one (it replaces the current one) or a correction of the current one."""

    reason = forms.CharField(label=_("Reason"), max_length=300, required=False,
                             help_text=_("Why the arrangement changes (needed when it replaces the current one), or "
                                         "what a correction fixes."))

    class Meta:
        model = ManagementArrangement
        fields = ["kind", "body_name", "contact_name", "contact_phone", "since", "fee_per_m2_month",
                  "collection_rate", "has_maintenance_fund", "fund_balance", "agreement", "notes"]
        widgets = {
            "since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "fee_per_m2_month": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100",
                                                         "inputmode": "decimal"}),
            "collection_rate": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100",
                                                        "inputmode": "decimal"}),
            "fund_balance": forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
            "agreement": forms.FileInput(attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "collection_rate": _("Fees collected as a share of fees due, 0 to 100; empty when not known yet."),
            "fund_balance": _("In yuan; only with a maintenance fund."),
            "agreement": _("The signed agreement or entrustment: PDF, Word, Excel or a photo, at most 20 MB."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].validators.append(PHONE)
        self.fields["since"].initial = self.fields["since"].initial or clock.today
        self.fields["fee_per_m2_month"].min_value = 0

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since > clock.today():
            raise ValidationError(_("The date cannot be in the future."))
        return since

    def clean_agreement(self):
        upload = self.cleaned_data.get("agreement")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the file already kept
            services.check_document(upload)
        return upload

    def clean(self):
        data = super().clean()
        if data.get("fund_balance") is not None and not data.get("has_maintenance_fund"):
            self.add_error("fund_balance", _("A fund balance needs a maintenance fund: tick it or leave the balance "
                                             "empty."))
        return data

    def _post_clean(self):
        # The model's own checks (the constraints) run in the service, against the community's current
        # arrangement; here only the fields, so a new arrangement is not refused for the one it replaces.
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in services.FIELDS}

    def new_upload(self):
        upload = self.cleaned_data.get("agreement")
        return upload if upload and hasattr(upload, "content_type") else None


class SettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AftercareSettings
        fields = ["overdue_days", "first_visit_months", "second_visit_months", "visit_open_days"]
        widgets = {name: forms.NumberInput(attrs={"inputmode": "numeric", "min": "1"})
                   for name in ["overdue_days", "first_visit_months", "second_visit_months", "visit_open_days"]}

    def clean(self):
        data = super().clean()
        first, second = data.get("first_visit_months"), data.get("second_visit_months")
        if first and second and second <= first:
            self.add_error("second_visit_months", _("The second return visit comes after the first."))
        return data
