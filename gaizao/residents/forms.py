"""The form a resident identifies their household with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gaizao.core.forms import StyledFormMixin
from gaizao.households.forms import HouseholdFieldsMixin


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
