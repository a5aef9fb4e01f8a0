"""Forms of the feedback (诉求) pages: a resident's report, an answer, the resident's confirmation."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gaizao.core.forms import StyledFormMixin
from gaizao.feedback.models import Feedback
from gaizao.feedback.services import MAX_TEXT


def check_photo(upload):
    """A photo checked by its content (JPEG, PNG or WebP, at most 10 MB), as site photos are."""
    from gaizao.works.photos import FORMATS, check_image

    try:
        check_image(upload)
    except RuntimeError:
        # check_image reads the EXIF block before verify(), which Pillow refuses for PNG ("verify must be called
        # directly after open"): verify such a file on a fresh open instead.
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(upload) as image:
                image_format = image.format
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, RuntimeError):
            image_format = None
        finally:
            upload.seek(0)
        if image_format not in FORMATS:
            raise ValidationError(_("This file is not a photo (JPEG, PNG or WebP).")) from None
    return upload


class ResidentFeedbackForm(StyledFormMixin, forms.Form):
    """A resident's report on a phone: large type, few words."""

    category = forms.ChoiceField(label=_("What is it about?"), choices=Feedback.Category.choices,
                                 widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    text = forms.CharField(label=_("What is wrong? Where?"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 5, "class": "form-control form-control-lg"}))
    photo = forms.FileField(label=_("Photo (optional)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp",
                                                                   "class": "form-control form-control-lg"}))

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload:
            try:
                check_photo(upload)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return upload


class AnswerForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Answer to the resident"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 4}))


class ConfirmForm(StyledFormMixin, forms.Form):
    satisfied = forms.TypedChoiceField(label=_("Is the problem solved?"), coerce=lambda v: v == "yes",
                                       choices=[("yes", _("Yes, solved")), ("no", _("No, not yet"))],
                                       widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    text = forms.CharField(label=_("What is still wrong? (needed when not solved)"), required=False,
                           max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3,
                                                                             "class": "form-control form-control-lg"}))

    def clean(self):
        data = super().clean()
        if data.get("satisfied") is False and not data.get("text", "").strip():
            self.add_error("text", _("Say what is still wrong."))
        return data
