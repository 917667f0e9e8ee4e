"""Back-office screens for orders (with their lines), and the « Ventes » menu that groups
them with the invoices and contracts of billing/wagtail_hooks.py."""

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from portal_api.billing.wagtail_hooks import ContractViewSet, InvoiceViewSet
from portal_api.common.admin_forms import (
    Cell,
    ChoiceColumn,
    MoneyColumn,
    PortalSnippetViewSet,
    ReadOnly,
    RelatedObjectsPanel,
    format_money,
    format_quantity,
)
from portal_api.common.admin_status import StatusMovesViewSetMixin

from .admin_forms import OrderAdminForm
from .models import Order, OrderStatus
from .services import order_set_status


def _line_unit_price(line):
    # Frozen when the order is placed; a draft still follows the catalogue.
    if line.unit_price_excl_tax is not None:
        return line.unit_price_excl_tax
    return line.article.price_excl_tax


def _line_vat_rate(line):
    return line.vat_rate if line.vat_rate is not None else line.article.vat_rate


def _line_backorder(line) -> str:
    """« 3 — prévu le 12/01/2027 »: what placing did not take from the stock."""
    if not line.backordered_quantity:
        return ""
    if line.restock_date is None:
        return _("%(qty)s — date à confirmer") % {
            "qty": format_quantity(line.backordered_quantity)}
    return _("%(qty)s — prévu le %(date)s") % {
        "qty": format_quantity(line.backordered_quantity),
        "date": date_format(line.restock_date, "d/m/Y")}


def _order_totals(order) -> str:
    if order.status == "draft":
        return _("Prix du catalogue : ils seront figés quand la commande sera passée.")
    return _("Total HT : %(ht)s · TVA : %(vat)s · TTC : %(ttc)s") % {
        "ht": format_money(order.total_excl_tax),
        "vat": format_money(order.total_vat),
        "ttc": format_money(order.total_incl_tax),
    }


order_lines_panel = RelatedObjectsPanel(
    "lines",
    [
        Cell(lambda line: line.article.reference, _("Référence")),
        Cell(lambda line: line.label or line.article.label, _("Désignation")),
        Cell("quantity", quantity=True),
        Cell(_line_unit_price, _("Prix unitaire HT"), money=True),
        Cell(_line_vat_rate, _("TVA (%)"), numeric=True),
        Cell(lambda line: line.quantity * _line_unit_price(line), _("Total HT"), money=True),
        Cell(_line_backorder, _("En reliquat")),
    ],
    heading=_("Lignes de la commande"),
    empty_text=_("Aucune ligne."),
    select_related=["article"],
    footer=_order_totals,
)


class OrderViewSet(StatusMovesViewSetMixin, PortalSnippetViewSet):
    model = Order
    # The status moves only through order_set_status, from the edit view's header buttons.
    status_service = staticmethod(order_set_status)
    status_permission = "orders.manage_orders"
    status_labels = {
        OrderStatus.SUBMITTED: _("Passer la commande"),
        OrderStatus.CONFIRMED: _("Confirmer"),
        OrderStatus.DELIVERED: _("Livrer (sort le stock)"),
        OrderStatus.INVOICED: _("Marquer facturée"),
        OrderStatus.CANCELLED: _("Annuler (libère le stock)"),
    }
    icon = "list-ul"
    menu_label = _("Commandes")
    list_display = [
        "__str__",
        Column("client_account", label=_("Client"), sort_key="client_account__name"),
        ChoiceColumn("status", label=_("Statut")),
        Column("customer_reference", label=_("Réf. client")),
        Column("submitted_at", label=_("Passée le"), sort_key="submitted_at"),
        MoneyColumn("total_excl_tax", label=_("Total HT")),
        MoneyColumn("total_incl_tax", label=_("Total TTC")),
    ]
    list_filter = ["status", "client_account"]
    search_fields = ["number", "customer_reference", "client_account__name",
                     "client_account__code"]
    ordering = "-created_at"
    related_panels = [order_lines_panel]
    inspect_view_fields = [
        "number", "client_account", "status", "customer_reference", "delivery_site",
        "prepared_by", "submitted_by", "submitted_at", "confirmed_at", "delivered_at",
        "cancelled_at", "comment", "total_excl_tax", "total_vat", "total_incl_tax",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    ReadOnly("number"),
                    FieldPanel("client_account"),
                    ReadOnly(
                        "status",
                        help_text=_("Confirmer, livrer (sort le stock) ou annuler (libère "
                                    "le stock réservé) : boutons en haut de la page."),
                    ),
                ],
                heading=_("Commande"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("customer_reference"),
                    FieldPanel("delivery_site"),
                    FieldPanel("comment"),
                ],
                heading=_("Livraison"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([
                        ReadOnly("prepared_by"),
                        ReadOnly("submitted_by"),
                    ]),
                    FieldRowPanel([
                        ReadOnly("submitted_at"),
                        ReadOnly("confirmed_at"),
                        ReadOnly("delivered_at"),
                        ReadOnly("cancelled_at"),
                    ]),
                ],
                heading=_("Suivi"),
            ),
            order_lines_panel,
        ],
        base_form_class=OrderAdminForm,
    )

    def get_queryset(self, request):
        return Order.objects.select_related("client_account")


class SalesGroup(SnippetViewSetGroup):
    menu_label = _("Ventes")
    menu_icon = "doc-full-inverse"
    menu_order = 220
    items = (OrderViewSet, InvoiceViewSet, ContractViewSet)


register_snippet(SalesGroup)
