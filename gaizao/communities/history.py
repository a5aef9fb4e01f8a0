"""The audit history of a community and its buildings, in words a user reads."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from gaizao.communities.models import Community
from gaizao.core.audit import history_for
from gaizao.regions.models import Area


def _model(object_type: str):
    """The model of an audit row (households, votes, notices and plans are recorded under the community too)."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return Community


def _label(model, name):
    try:
        # A reverse relation (e.g. a household's owner count, recorded as "owners") has no verbose name.
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name


def _shown(model, name, value, areas):
    if value is None or value == "":
        return "—"
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if name == "subdistrict":
        return areas.get(value, str(value))
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def history_rows(community, limit: int = 200) -> list[dict]:
    entries = list(history_for(community)[:limit])
    areas = dict(Area.objects.filter(level=Area.Level.SUBDISTRICT).values_list("pk", "name"))
    rows = []
    for entry in entries:
        model = _model(entry.object_type)
        rows.append({
            "entry": entry,
            "changes": [
                (_label(model, name), _shown(model, name, before, areas), _shown(model, name, after, areas))
                for name, before, after in entry.changes()
            ],
        })
    return rows
