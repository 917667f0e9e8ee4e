"""The orders list as it exports to Excel (common/exportable.py): read by the list endpoint
(views.OrderViewSet) and by the background export."""

from django.utils.translation import gettext_lazy as _

from portal_api.common.export import DATETIME_FORMAT, MONEY_FORMAT, Column
from portal_api.common.exportable import ExportableList, register

from . import selectors
from .filters import OrderFilter


def _person(user) -> str:
    return str(user) if user else ""


def _total(index: int):
    return lambda order: selectors.order_totals(order)[index]


ORDER_LIST = register(ExportableList(
    name="commandes",
    selector=selectors.order_list_rows,
    filterset_class=OrderFilter,
    ordering_fields=("created_at", "submitted_at", "number", "status", "customer_reference",
                     "total_excl_tax", "total_incl_tax"),
    ordering=("-created_at", "-id"),
    rule="orders.view_orders",
    columns=(
        Column(_("Numéro"), lambda o: o.number or ""),
        Column(_("Statut"), lambda o: str(o.get_status_display())),
        Column(_("Référence client"), lambda o: o.customer_reference, width=24),
        Column(_("Créée le"), lambda o: o.created_at, DATETIME_FORMAT),
        Column(_("Passée le"), lambda o: o.submitted_at, DATETIME_FORMAT),
        Column(_("Préparée par"), lambda o: _person(o.prepared_by), width=24),
        Column(_("Passée par"), lambda o: _person(o.submitted_by), width=24),
        Column(_("Site de livraison"), lambda o: o.delivery_site.name if o.delivery_site else "",
               width=28),
        Column(_("Lignes"), lambda o: o.lines_count, width=8),
        Column(_("Total HT"), _total(0), MONEY_FORMAT),
        Column(_("TVA"), _total(1), MONEY_FORMAT),
        Column(_("Total TTC"), _total(2), MONEY_FORMAT),
    ),
))
