"""The warranty end of a work item as pages show it: {{ item|warranty_end:acceptance.date|cn_date }}."""

from django import template

from gaizao.catalog.warranty import item_warranty_end

register = template.Library()


@register.filter
def warranty_end(item, accepted):
    """The last day of the item's (WorkItem's) warranty counted from `accepted`; None without an acceptance."""
    return item_warranty_end(item, accepted) if item is not None else None
