"""The audit history of a community and its buildings, in words a user reads."""

from django.core.exceptions import FieldDoesNotExist

from gaizao.communities.models import Building, Community
from gaizao.core.audit import history_for
from gaizao.regions.models import Area

_MODELS = {"communities.community": Community, "communities.building": Building}


def _label(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _shown(model, name, value, areas):
    if value is None or value == "":
        return "—"
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if field.choices:
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
        model = _MODELS.get(entry.object_type, Community)
        rows.append({
            "entry": entry,
            "changes": [
                (_label(model, name), _shown(model, name, before, areas), _shown(model, name, after, areas))
                for name, before, after in entry.changes()
            ],
        })
    return rows
