from django import forms
from django.utils.translation import gettext_lazy as _

from gaizao.catalog.models import WorkItem
from gaizao.core import clock
from gaizao.core.forms import StyledFormMixin


class WorkItemForm(StyledFormMixin, forms.ModelForm):
    new_cost = forms.DecimalField(label=_("New unit cost (yuan)"), required=False, min_value=0.01, decimal_places=2,
                                  max_digits=12)
    cost_from = forms.DateField(label=_("Valid from"), required=False, initial=clock.today,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    class Meta:
        model = WorkItem
        fields = ["code", "name", "tier", "content_group", "unit", "quantity_rule", "warranty_number",
                  "warranty_kind", "after_basic", "active", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}),
                   "warranty_number": forms.NumberInput(attrs={"min": 1, "max": 100})}
        help_texts = {"warranty_number": _("From the completion acceptance; the Regulations on the Quality "
                                           "Management of Construction Projects art. 40 set the minimum.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["new_cost"].required = True
            self.fields["new_cost"].label = _("Unit cost (yuan)")

    def clean(self):
        data = super().clean()
        if data.get("new_cost") and not data.get("cost_from"):
            self.add_error("cost_from", _("Say from which date the new cost applies."))
        return data


MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # the catalog is a few hundred rows; a larger file is not a catalog


class CatalogUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Catalog workbook (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
