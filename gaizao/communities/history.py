"""The audit history of a community and its buildings, in words a user reads."""

import ast
import datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaizao.communities.models import Community, Problem
from gaizao.core import formatting
from gaizao.core.audit import history_for
from gaizao.regions.models import Area


def _model(object_type: str):
    """The model of an audit row (households, votes, notices and plans are recorded under the community too)."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return Community


# Fields recorded in the history whose models give them no label of their own (or an English one).
LABELS = {
    "owners": _("number of owners"), "community": _("community"), "building": _("building"), "plan": _("plan"),
    "stairwell_unit": _("stairwell unit"), "quorum_area": _("quorum by area"), "quorum_owners": _("quorum by owners"),
    "pass_area": _("approval by area"), "pass_owners": _("approval by owners"),
    "pass_strictly_more": _("more than the share (not equal to it)"),
}
LONG_TEXT = 120


def _plan_label(name, work_items) -> str | None:
    """Plan versions record "item JC03" and "funding central_subsidy": name the work item and the source."""
    from gaizao.planning.models import FundingSource

    kind, _space, key = name.partition(" ")
    if kind == "item" and key:
        return f"{work_items[key]}（{key}）" if key in work_items else key
    if kind == "funding" and key in FundingSource.values:
        return str(FundingSource(key).label)
    return None


def _label(model, name, work_items=None):
    planned = _plan_label(name, work_items or {})
    if planned is not None:
        return planned
    if name in LABELS:
        return str(LABELS[name])
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name


def _when(field, value) -> str:
    """Dates as officials write them (2021年11月25日), times in local time."""
    try:
        if isinstance(field, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(str(value))
            local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
            return f"{formatting.date(local)} {local:%H:%M}"
        return formatting.date(datetime.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _shown(model, name, value, areas):
    if value is None or value == "":
        return "—"
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        if name.startswith(("item ", "funding ")):  # a plan's quantities and yuan
            try:
                return formatting.grouped(value, 2)
            except (TypeError, ValueError):
                pass
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if name == "subdistrict":
        return areas.get(value, str(value))
    if name == "problems" and isinstance(value, str) and value.startswith("["):
        # Imports before the writer kept lists wrote the list's text ("['refuse']"); read it back as codes.
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
    if name == "problems" and isinstance(value, list):  # codes a census sheet wrote; people read the labels
        labels = dict(Problem.choices)
        return "、".join(str(labels.get(code, code)) for code in value) or "—"
    if isinstance(value, bool):
        return str(_("Yes")) if value else str(_("No"))
    if isinstance(field, models.DateField):  # DateTimeField too
        return _when(field, value)
    if isinstance(field, models.DecimalField | models.IntegerField) and name not in ("year_built", "batch_year"):
        try:
            return formatting.grouped(value, getattr(field, "decimal_places", 0) or 0)
        except (TypeError, ValueError):
            return str(value)
    text = str(value)
    return text if len(text) <= LONG_TEXT else text[:LONG_TEXT] + "…"


def history_rows(community, limit: int = 200) -> list[dict]:
    entries = list(history_for(community).select_related("actor")[:limit])
    areas = dict(Area.objects.filter(level=Area.Level.SUBDISTRICT).values_list("pk", "name"))
    work_items = {}
    if any(name.startswith("item ") for entry in entries for name, _b, _a in entry.changes()):
        from gaizao.catalog.models import WorkItem

        work_items = dict(WorkItem.objects.values_list("code", "name"))
    rows = []
    for entry in entries:
        model = _model(entry.object_type)
        rows.append({
            "entry": entry,
            "changes": [
                (_label(model, name, work_items), _shown(model, name, before, areas),
                 _shown(model, name, after, areas))
                for name, before, after in entry.changes()
            ],
        })
    return rows
