"""Survey forms: creating a survey, answering it online or from paper."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaizao.catalog.models import ContentGroup
from gaizao.core import clock
from gaizao.core.forms import StyledFormMixin
from gaizao.households.forms import HouseholdFieldsMixin
from gaizao.surveys import services as surveys
from gaizao.surveys.models import Survey

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _item_choices():
    groups = dict(ContentGroup.choices)
    grouped: dict[str, list] = {}
    for item in surveys.needs_choices():
        grouped.setdefault(str(groups.get(item.content_group, item.content_group)), []).append((item.code, item.name))
    return [("", "—")] + list(grouped.items())


class NeedsForm(StyledFormMixin, forms.Form):
    """Up to five items in order: a select per place works on any phone, with no script."""

    def __init__(self, *args, initial_items=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _item_choices()
        for place in range(1, surveys.NEEDS_MAX + 1):
            self.fields[f"choice_{place}"] = forms.ChoiceField(
                label=_("Choice %(n)s") % {"n": place}, choices=choices, required=place == 1)
        for place, code in enumerate(initial_items or [], start=1):
            self.initial[f"choice_{place}"] = code

    def clean(self):
        data = super().clean()
        items = [data.get(f"choice_{place}") for place in range(1, surveys.NEEDS_MAX + 1)]
        items = [code for code in items if code]
        if len(set(items)) != len(items):
            raise forms.ValidationError(_("Each item may be chosen once."))
        data["answers"] = {"items": items}
        return data


class SatisfactionForm(forms.Form):
    def __init__(self, *args, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in surveys.QUESTIONS:
            self.fields[key] = forms.ChoiceField(label=label, choices=surveys.LEVELS, widget=forms.RadioSelect)
            if initial_answers and key in initial_answers:
                self.initial[key] = initial_answers[key]

    def clean(self):
        data = super().clean()
        data["answers"] = {key: data.get(key) for key in surveys.QUESTION_KEYS}
        return data


def answer_form(survey, data=None, answers=None):
    if survey.kind == Survey.Kind.NEEDS:
        return NeedsForm(data, initial_items=(answers or {}).get("items"))
    return SatisfactionForm(data, initial_answers=answers)


class PaperHouseholdForm(HouseholdFieldsMixin, StyledFormMixin, forms.Form):
    """Which household's paper form the committee is entering."""

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_household_fields(community)

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.household = self.find_household()
            if self.household is None:
                raise forms.ValidationError(_("No household with this building, unit and room is registered."))
        return data


class SurveyForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Survey.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_at = forms.DateTimeField(label=_("Opens"), widget=_DATETIME, input_formats=_DATETIME_FORMATS)
    closes_at = forms.DateTimeField(label=_("Closes"), widget=_DATETIME, input_formats=_DATETIME_FORMATS)
    project = forms.ModelChoiceField(label=_("Project (for a satisfaction survey)"), queryset=None, required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["project"].queryset = community.projects.filter(status__in=surveys.FINISHED).order_by("code")
        now = timezone.localtime(clock.now()).replace(second=0, microsecond=0)
        self.fields["opens_at"].initial = now
        self.fields["closes_at"].initial = now + datetime.timedelta(days=14)

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The survey must close after it opens."))
        if data.get("kind") == Survey.Kind.SATISFACTION and not data.get("project"):
            self.add_error("project", _("Choose the completed project the residents judge."))
        return data


class SurveyDatesForm(StyledFormMixin, forms.Form):
    opens_at = forms.DateTimeField(label=_("Opens"), widget=_DATETIME, input_formats=_DATETIME_FORMATS)
    closes_at = forms.DateTimeField(label=_("Closes"), widget=_DATETIME, input_formats=_DATETIME_FORMATS)

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The survey must close after it opens."))
        return data
