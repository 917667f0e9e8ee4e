"""Back-office screens for billing: invoices (with their lines) and maintenance contracts.
They appear in the « Ventes » menu, registered with the orders in orders/wagtail_hooks.py."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column

from portal_api.common.admin_forms import (
    Cell,
    ChoiceColumn,
    MoneyColumn,
    PortalSnippetViewSet,
    ReadOnly,
    RelatedObjectsPanel,
    YesNoColumn,
    format_money,
)
from portal_api.common.admin_status import StatusMovesViewSetMixin

from .admin_forms import ContractAdminForm, InvoiceAdminForm
from .models import Contract, Invoice, InvoiceStatus
from .services import invoice_set_status


def _invoice_totals(invoice) -> str:
    return _("Total HT : %(ht)s · TVA : %(vat)s · TTC : %(ttc)s") % {
        "ht": format_money(invoice.total_excl_tax),
        "vat": format_money(invoice.total_vat),
        "ttc": format_money(invoice.total_incl_tax),
    }


invoice_lines_panel = RelatedObjectsPanel(
    "lines",
    [
        Cell(lambda line: line.article.reference if line.article else "", _("Référence")),
        "label",
        Cell("quantity", quantity=True),
        Cell("unit_price_excl_tax", money=True),
        Cell("vat_rate", numeric=True),
        Cell("total_excl_tax", money=True),
    ],
    heading=_("Lignes de la facture"),
    empty_text=_("Aucune ligne."),
    select_related=["article"],
    footer=_invoice_totals,
)


class InvoiceViewSet(StatusMovesViewSetMixin, PortalSnippetViewSet):
    model = Invoice
    # The status moves only through invoice_set_status, from the edit view's header buttons.
    status_service = staticmethod(invoice_set_status)
    status_permission = "billing.manage_invoices"
    status_labels = {
        InvoiceStatus.ISSUED: _("Émettre (numérote la facture)"),
        InvoiceStatus.PAID: _("Marquer payée"),
        InvoiceStatus.OVERDUE: _("Marquer en retard"),
    }
    icon = "doc-full"
    menu_label = _("Factures")
    list_display = [
        "__str__",
        Column("client_account", label=_("Client"), sort_key="client_account__name"),
        ChoiceColumn("status", label=_("Statut")),
        Column("issue_date", label=_("Date de facture"), sort_key="issue_date"),
        Column("due_date", label=_("Échéance"), sort_key="due_date"),
        MoneyColumn("total_excl_tax", label=_("Total HT")),
        MoneyColumn("total_incl_tax", label=_("Total TTC")),
    ]
    list_filter = ["status", "client_account"]
    search_fields = ["number", "client_account__name", "client_account__code"]
    ordering = ["-issue_date", "-sequence"]
    related_panels = [invoice_lines_panel]
    inspect_view_fields = [
        "number", "client_account", "status", "issue_date", "due_date", "paid_at", "order",
        "intervention", "total_excl_tax", "total_vat", "total_incl_tax", "pdf",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    ReadOnly("number", help_text=_("Attribué à l'émission, jamais réutilisé.")),
                    FieldPanel("client_account"),
                    ReadOnly(
                        "status",
                        help_text=_("« Émettre » numérote la facture et fixe ses dates ; "
                                    "« Marquer payée » enregistre le règlement : boutons en "
                                    "haut de la page."),
                    ),
                ],
                heading=_("Facture"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([
                        ReadOnly("issue_date"),
                        ReadOnly("due_date"),
                    ]),
                    FieldPanel("paid_at"),
                ],
                heading=_("Dates"),
            ),
            MultiFieldPanel(
                [FieldPanel("order"), FieldPanel("intervention")],
                heading=_("Origine"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([
                        ReadOnly("total_excl_tax"),
                        ReadOnly("total_vat"),
                        ReadOnly("total_incl_tax"),
                    ]),
                    ReadOnly("pdf"),
                ],
                heading=_("Montants"),
            ),
            invoice_lines_panel,
        ],
        base_form_class=InvoiceAdminForm,
    )

    def get_queryset(self, request):
        return Invoice.objects.select_related("client_account")


class ContractViewSet(PortalSnippetViewSet):
    model = Contract
    icon = "clipboard-list"
    menu_label = _("Contrats")
    list_display = [
        "__str__",
        Column("client_account", label=_("Client"), sort_key="client_account__name"),
        Column("start_date", label=_("Début"), sort_key="start_date"),
        Column("end_date", label=_("Fin"), sort_key="end_date"),
        MoneyColumn("annual_amount_excl_tax", label=_("Montant annuel HT")),
        Column("visits_per_year", label=_("Visites / an")),
        YesNoColumn("active", label=_("Actif")),
    ]
    list_filter = ["client_account", "active"]
    search_fields = ["number", "title", "client_account__name", "client_account__code"]
    ordering = "-start_date"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("number"), FieldPanel("client_account")]),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            FieldRowPanel([FieldPanel("annual_amount_excl_tax"),
                           FieldPanel("visits_per_year")]),
            FieldPanel("active"),
            RelatedObjectsPanel(
                "equipment",
                ["serial_number", "brand", "model", "label",
                 Cell(lambda e: e.site, _("Site"))],
                heading=_("Équipements couverts"),
                empty_text=_("Aucun équipement rattaché à ce contrat."),
                select_related=["site"],
            ),
        ],
        base_form_class=ContractAdminForm,
    )

    def get_queryset(self, request):
        return Contract.objects.select_related("client_account")
