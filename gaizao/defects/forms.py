"""Forms of the defect pages: a report (a resident's on the phone, staff's), an answer, a confirmation, the
setting."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gaizao.core import clock
from gaizao.core.forms import StyledFormMixin
from gaizao.defects.models import DefectSettings
from gaizao.defects.services import MAX_PHOTOS, MAX_TEXT, community_items, item_label
from gaizao.works.forms import MultipleFileField, MultipleFileInput

PHOTO_TYPES = "image/jpeg,image/png,image/webp"


def _checked(uploads):
    """Each photo by its content (JPEG, PNG or WebP, at most 10 MB), as feedback photos are."""
    from gaizao.feedback.forms import check_photo

    if len(uploads) > MAX_PHOTOS:
        raise forms.ValidationError(_("Send at most %(n)s photos.") % {"n": MAX_PHOTOS})
    for upload in uploads:
        try:
            check_photo(upload)
        except ValidationError as error:
            raise forms.ValidationError(" ".join(error.messages)) from None
    return uploads


class ReportForm(StyledFormMixin, forms.Form):
    """A defect in one of the community's work items; `resident` gives the phone's large type."""

    item = forms.TypedChoiceField(label=_("Which work is faulty?"), coerce=int, empty_value=None)
    location = forms.CharField(label=_("Where exactly? (building, unit, room, place)"), max_length=100,
                               required=False)
    text = forms.CharField(label=_("What is wrong?"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultipleFileField(label=_("Photos (optional)"), required=False,
                               widget=MultipleFileInput(attrs={"accept": PHOTO_TYPES}))

    def __init__(self, *args, community, resident=False, **kwargs):
        super().__init__(*args, **kwargs)
        if resident:  # one large choice per line on the phone, in the residents' layout (no framework classes)
            self.fields["item"].widget = forms.RadioSelect()
            for field in self.fields.values():
                field.widget.attrs.pop("class", None)
        day = clock.today()
        self.items = {item.pk: item for item in community_items(community)}
        self.fields["item"].choices = [(pk, item_label(item, day)) for pk, item in self.items.items()]

    def clean_photos(self):
        return _checked(self.cleaned_data["photos"])

    def project_item(self):
        return self.items.get(self.cleaned_data["item"])


class AnswerForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("What was done (the answer to the reporter)"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultipleFileField(label=_("Photos of the repair"), required=False,
                               widget=MultipleFileInput(attrs={"accept": PHOTO_TYPES, "capture": "environment"}))

    def clean_photos(self):
        return _checked(self.cleaned_data["photos"])


class ConfirmForm(StyledFormMixin, forms.Form):
    satisfied = forms.TypedChoiceField(label=_("Is it repaired?"), coerce=lambda v: v == "yes",
                                       choices=[("yes", _("Yes, repaired")), ("no", _("No, not yet"))],
                                       widget=forms.RadioSelect)
    text = forms.CharField(label=_("What is still wrong? (needed when not repaired)"), required=False,
                           max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("satisfied") is False and not data.get("text", "").strip():
            self.add_error("text", _("Say what is still wrong."))
        return data


class SettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = DefectSettings
        fields = ["response_days"]
