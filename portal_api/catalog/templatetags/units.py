from django import template

from portal_api.catalog.units import quantity_with_unit as _quantity_with_unit
from portal_api.catalog.units import unit_name as _unit_name

register = template.Library()


@register.filter
def with_unit(quantity, unit) -> str:
    """`{{ line.quantity|with_unit:line.article.unit }}` → « 3 unités »."""
    return _quantity_with_unit(quantity, unit)


@register.filter
def unit_name(unit, quantity=1) -> str:
    """`{{ article.unit|unit_name }}` → « unité » (for a price per unit)."""
    return _unit_name(unit, quantity)
