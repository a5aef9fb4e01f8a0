"""The form that publishes a notice."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gaizao.core import clock
from gaizao.core.forms import StyledFormMixin
from gaizao.notices import seasonal
from gaizao.notices import services as notices


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class NoticeForm(StyledFormMixin, forms.Form):
    audience = forms.ChoiceField(label=_("For"))
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("Plain text; line breaks are kept. Fill in every 【请填写…】."))
    published_at = forms.DateTimeField(label=_("Publish at (empty: now)"), required=False,
                                       input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
                                       widget=DateTimeLocalInput())
    valid_until = forms.DateTimeField(label=_("Show until (empty: until taken down)"), required=False,
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
                                      widget=DateTimeLocalInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [("", "—"), *notices.audiences_for(user)]

    def clean(self):
        data = super().clean()
        for name in ("title", "body"):
            if seasonal.PLACEHOLDER in data.get(name, ""):
                self.add_error(name, _("Fill in the parts marked 【请填写…】 first."))
        start = data.get("published_at") or clock.now()
        if data.get("valid_until") and data["valid_until"] <= start:
            self.add_error("valid_until", _("The notice must end after it is published."))
        if data.get("audience"):
            try:
                data["area"], data["community"] = notices.parse_audience(data["audience"])
            except ValidationError as error:
                self.add_error("audience", error)
        return data
