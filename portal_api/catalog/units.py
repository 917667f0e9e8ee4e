"""A quantity with its unit, the plural agreed (« 1 unité », « 3 unités », « 2,5 heures »)."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import ngettext

from .models import Unit


def _names(quantity: int) -> dict[str, str]:
    return {
        Unit.PIECE: ngettext("unité", "unités", quantity),
        Unit.HOUR: ngettext("heure", "heures", quantity),
        Unit.METRE: ngettext("mètre", "mètres", quantity),
        Unit.SQUARE_METRE: "m²",
        Unit.KILOGRAM: "kg",
        Unit.LITRE: ngettext("litre", "litres", quantity),
        Unit.FLAT: ngettext("forfait", "forfaits", quantity),
    }


def _plural_count(quantity: Decimal) -> int:
    """The count gettext's plural rule reads: a whole quantity as is; a fraction below 2 as
    one (French says « 1,5 heure »), above as many."""
    if quantity == quantity.to_integral_value():
        return abs(int(quantity))
    return 1 if abs(quantity) < 2 else 2


def unit_name(unit: str, quantity=1) -> str:
    """The unit's name agreeing with the quantity; an unknown code as is."""
    return _names(_plural_count(Decimal(str(quantity)))).get(unit, unit)


def quantity_with_unit(quantity, unit: str) -> str:
    """« 3 unités », « 12,5 mètres »: the quantity in the current language's format (up to
    three decimals, none when whole) and its unit agreeing with it."""
    value = Decimal(str(quantity))
    digits = 0 if value == value.to_integral_value() else 3
    shown = number_format(value.normalize() if digits else value,
                          decimal_pos=None if digits else 0, use_l10n=True, force_grouping=True)
    return f"{shown} {unit_name(unit, value)}"
