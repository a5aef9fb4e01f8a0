"""Filters shared by the API's filter sets: values that are not what the schema says are refused (400), never
silently ignored."""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from gaizao.core import clock

_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


INT64 = 2 ** 63
_DIGITS = re.compile(r"-?[0-9]+")


class _Int64Field(forms.IntegerField):
    def __init__(self, **kwargs):
        # Past 64 bits the database cannot compare (SQLite raises OverflowError): a 400, not a 500.
        kwargs.setdefault("min_value", -INT64)
        kwargs.setdefault("max_value", INT64 - 1)
        super().__init__(**kwargs)

    def to_python(self, value):
        # Django's IntegerField takes "1.0" as 1; the schema says integer, so only digits are.
        if isinstance(value, str) and value.strip() and not _DIGITS.fullmatch(value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "integer", "format": "int64", "minimum": -INT64, "maximum": INT64 - 1})
class IntegerFilter(filters.NumberFilter):
    """A whole number (an id, a year): 0.5 is refused, where NumberFilter would take it."""

    field_class = _Int64Field


class _StrictBooleanField(forms.Field):
    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, bool):
            return value
        text = (value or "").strip().lower()
        if not text:
            return None
        if text not in _BOOLEANS:
            raise ValidationError(_("Enter true or false."), code="invalid")
        return _BOOLEANS[text]


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.BooleanFilter):
    """true/false (or 1/0); anything else is refused, where BooleanFilter would ignore it."""

    field_class = _StrictBooleanField  # the DRF flavour's BooleanWidget would turn "maybe" into "no filter"


# Votes and surveys share one idea of "open": opened and not yet closed.
STATES = [("upcoming", "upcoming"), ("open", "open"), ("closed", "closed")]


def in_state(queryset, state):
    """Rows with ``opens_at``/``closes_at`` that are upcoming, open or closed now."""
    now = clock.now()
    if state == "upcoming":
        return queryset.filter(opens_at__gt=now)
    if state == "open":
        return queryset.filter(opens_at__lte=now, closes_at__gt=now)
    return queryset.filter(closes_at__lte=now)


class StyledFilterMixin:
    """For a filter set shown as a form on a page: Bootstrap's classes on every field. Styled when the form is
    first built, so a subclass may still change its filters' choices in ``__init__``."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "styled", False):
            for field in form.fields.values():
                css = "form-select" if hasattr(field.widget, "choices") else "form-control"
                field.widget.attrs.setdefault("class", css)
            form.styled = True
        return form
