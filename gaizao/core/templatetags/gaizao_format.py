"""Template filters for official number and date formats (see gaizao.core.formatting)."""

import datetime

from django import template
from django.utils import timezone

from gaizao.core import formatting

register = template.Library()

register.filter("grouped", formatting.grouped)
register.filter("cn_count", formatting.chinese_magnitude)
register.filter("money", formatting.money)
register.filter("area", formatting.area)
register.simple_tag(formatting.margin, name="margin_words")


@register.filter
def cn_date(value):
    return formatting.date(value)


@register.filter
def cn_datetime(value):
    if value is None:
        return "—"
    local = timezone.localtime(value) if isinstance(value, datetime.datetime) else value
    return f"{formatting.date(local)} {local:%H:%M}"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced; keeps filters when sorting or paging."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def percent(value, digits=2):
    """0.000123 -> 0.01%: a share written as officials read it."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
