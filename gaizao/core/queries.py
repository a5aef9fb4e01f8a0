"""Query helpers shared by the apps."""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models.expressions import RawSQL


def by_ids(queryset, ids, field: str = "pk"):
    """`queryset.filter(pk__in=ids)` (or `field`'s). On PostgreSQL the ids go as one array parameter: as a list,
    each id was a parameter of its own, and a few hundred of them cost milliseconds to turn into SQL and to plan,
    on every page over a province or the nation (issue #15)."""
    if connection.vendor == "postgresql":
        return queryset.filter(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))})
    return queryset.filter(**{f"{field}__in": list(ids)})


def query_key(queryset) -> str:
    """A queryset as its SQL: the same text for the same scope, a key for figures kept per scope (an empty
    queryset has none)."""
    try:
        return repr(queryset.query.sql_with_params())
    except EmptyResultSet:
        return "none"
