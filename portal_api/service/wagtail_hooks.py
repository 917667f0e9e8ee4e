"""Back-office screens for the service: the Action Center (clients' intervention requests:
those waiting for the staff first, urgent first, then the oldest; opening one shows its
attachments and timeline, and offers « Créer l'intervention » and « Clôturer avec une
réponse »), and the « Service » menu: interventions (the request they came from, documents,
lines, time entries, expenses, signature), equipment and technicians.

The Action Center's extra screens (admin_views.py), under /admin/snippets/service/ticket/:
``convertir/<pk>/``, ``cloturer/<pk>/``, ``<pk>/pieces-jointes/<document_pk>/``; and
``/admin/snippets/service/intervention/<pk>/documents/<document_pk>/``."""

from django import forms
from django.db.models import Case, IntegerField, When
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column, StatusFlagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from portal_api.accounts.wagtail_hooks import TechnicianProfileViewSet
from portal_api.common.admin_forms import (
    Cell,
    ChoiceColumn,
    PortalSnippetViewSet,
    ReadOnly,
    RelatedObjectsPanel,
    ShortTextColumn,
    YesNoColumn,
)
from portal_api.common.admin_permissions import reach_prime
from portal_api.common.admin_status import StatusMovesViewSetMixin

from .admin_forms import EquipmentAdminForm, InterventionAdminForm, TicketAdminForm
from .admin_views import (
    InterventionDocumentDownloadView,
    InterventionDocumentsPanel,
    InterventionInspectView,
    InterventionTicketPanel,
    TicketAttachmentDownloadView,
    TicketAttachmentsPanel,
    TicketCloseView,
    TicketConvertView,
    TicketEditView,
    TicketInspectView,
    TicketInterventionPanel,
    TicketTimelinePanel,
    admin_url,
    ticket_action_buttons,
)
from .models import Equipment, Intervention, InterventionStatus, Ticket, TicketStatus
from .services import intervention_set_status


class ShortDateTimeColumn(Column):
    """A moment as « 28/11/2026 07:14 » (Paris time), on one line."""

    def __init__(self, name, **kwargs):
        kwargs.setdefault("sort_key", name)
        kwargs.setdefault("classname", "portal-nowrap")
        super().__init__(name, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["raw_value"]
        context["value"] = (date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
                            if value else "")
        return context


class LinkColumn(Column):
    """A related object shown as a link to its admin screen (when the user may open it)."""

    cell_template_name = "service/admin/link_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["raw_value"]
        request = parent_context.get("request")
        if value and request:
            # Whether the user reaches each row's object: one query for the page, not a row.
            table = parent_context.get("table")
            rows = table.data if table is not None else []
            reach_prime(request.user, [self.get_value(row) for row in rows])
        context["url"] = admin_url(value, request.user) if value and request else None
        return context


class UrgentColumn(Column):
    """« Urgent » as a red tag the eye finds in the list (Wagtail's flags are grey)."""

    cell_template_name = "service/admin/urgent_cell.html"

    def __init__(self, name="urgent", **kwargs):
        kwargs.setdefault("label", _("Urgence"))
        kwargs.setdefault("sort_key", name)
        super().__init__(name, **kwargs)


class SerialColumn(Column):
    """The equipment's serial number, or the one the client typed (to be identified)."""

    cell_template_name = "service/admin/serial_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        equipment = instance.equipment
        context["serial"] = (equipment.serial_number if equipment
                             else instance.serial_number_typed)
        context["typed"] = equipment is None and bool(instance.serial_number_typed)
        return context


ticket_intervention_panel = TicketInterventionPanel(heading=_("Intervention"))
ticket_attachments_panel = TicketAttachmentsPanel(heading=_("Pièces jointes"))
ticket_timeline_panel = TicketTimelinePanel(heading=_("Historique de la demande"))


class TicketViewSet(PortalSnippetViewSet):
    model = Ticket
    icon = "warning"
    menu_label = _("Centre d'actions")
    menu_name = "centre-actions"
    menu_order = 150
    add_to_admin_menu = True
    list_display = [
        "number",
        UrgentColumn(),
        Column("client_account", label=_("Client"), sort_key="client_account__name"),
        ShortTextColumn("description", label=_("Demande")),
        SerialColumn("serial", label=_("N° de série")),
        Column("site", label=_("Site")),
        ChoiceColumn("status", label=_("Statut")),
        ShortDateTimeColumn("created_at", label=_("Reçue le")),
        LinkColumn("intervention", label=_("Intervention"), classname="portal-nowrap"),
    ]
    list_filter = ["status", "client_account", "urgent"]
    search_fields = ["number", "description", "serial_number_typed", "client_account__name",
                     "client_account__code", "equipment__serial_number"]
    # The Action Center: the requests still waiting for the staff (received, in progress)
    # before those already handled; among them urgent first, then the oldest.
    ordering = ["-to_handle", "-urgent", "created_at"]
    inspect_view_fields = [
        "number", "client_account", "requester", "urgent", "status", "description",
        "equipment", "serial_number_typed", "site", "reply_to", "intervention", "answer",
        "created_at", "closed_at",
    ]
    edit_view_class = TicketEditView
    inspect_view_class = TicketInspectView
    related_panels = [ticket_attachments_panel, ticket_timeline_panel]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    ReadOnly("number"),
                    FieldPanel("client_account"),
                    FieldPanel("requester"),
                    FieldRowPanel([FieldPanel("urgent"), ReadOnly("status")]),
                    ReadOnly("created_at", heading=_("Reçue le")),
                ],
                heading=_("Demande"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("description"),
                    FieldRowPanel([FieldPanel("equipment"), FieldPanel("serial_number_typed")]),
                    FieldPanel("site"),
                    FieldPanel("reply_to"),
                ],
                heading=_("Problème signalé"),
            ),
            ticket_attachments_panel,
            MultiFieldPanel(
                [
                    ticket_intervention_panel,
                    ReadOnly("answer"),
                    ReadOnly("closed_at"),
                ],
                heading=_("Traitement"),
                help_text=_("« Créer l'intervention » et « Clôturer avec une réponse » font "
                            "suivre le statut et écrivent l'historique."),
            ),
            ticket_timeline_panel,
        ],
        base_form_class=TicketAdminForm,
    )

    @property
    def convert_view(self):
        return self.construct_view(TicketConvertView)

    @property
    def close_view(self):
        return self.construct_view(TicketCloseView)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("convertir/<int:pk>/", self.convert_view, name="convert"),
            path("cloturer/<int:pk>/", self.close_view, name="close"),
            path("<int:pk>/pieces-jointes/<int:document_pk>/",
                 TicketAttachmentDownloadView.as_view(), name="attachment"),
        ]

    def get_queryset(self, request):
        return Ticket.objects.select_related("client_account", "intervention", "equipment",
                                             "site").annotate(
            to_handle=Case(
                When(status__in=[TicketStatus.RECEIVED, TicketStatus.IN_PROGRESS], then=1),
                default=0, output_field=IntegerField(),
            )
        )


intervention_lines_panel = RelatedObjectsPanel(
    "lines",
    [
        Cell(lambda line: line.article.reference, _("Référence")),
        Cell(lambda line: line.label or line.article.label, _("Désignation")),
        Cell("quantity", quantity=True),
        Cell("unit_price_excl_tax", money=True),
        Cell(lambda line: line.quantity * line.unit_price_excl_tax, _("Total HT"), money=True),
    ],
    heading=_("Articles et main-d'œuvre"),
    empty_text=_("Aucune ligne."),
    select_related=["article"],
)
time_entries_panel = RelatedObjectsPanel(
    "time_entries",
    ["date", Cell(lambda e: str(e.technician),
                  _("Technicien")),
     "kind", Cell("hours", quantity=True), "comment"],
    heading=_("Saisies horaires"),
    empty_text=_("Aucune saisie horaire."),
    select_related=["technician"],
)
expenses_panel = RelatedObjectsPanel(
    "expenses",
    ["date", Cell(lambda e: str(e.technician),
                  _("Technicien")),
     "kind", Cell("amount", money=True), "comment",
     Cell(lambda e: e.receipt.title if e.receipt else "", _("Justificatif"))],
    heading=_("Frais"),
    empty_text=_("Aucun frais."),
    select_related=["technician", "receipt"],
)


intervention_ticket_panel = InterventionTicketPanel(heading=_("Demande d'origine"))
intervention_documents_panel = InterventionDocumentsPanel(heading=_("Documents"))


class InterventionViewSet(StatusMovesViewSetMixin, PortalSnippetViewSet):
    model = Intervention
    # The status moves only through intervention_set_status (its request follows, with a
    # timeline step; cancelling asks the reason), from the edit view's header buttons.
    status_service = staticmethod(intervention_set_status)
    status_permission = "service.manage_interventions"
    status_labels = {
        InterventionStatus.PLANNED: _("Planifier"),
        InterventionStatus.IN_PROGRESS: _("Démarrer"),
        InterventionStatus.DONE: _("Marquer réalisée"),
        InterventionStatus.CLOSED: _("Clôturer"),
        InterventionStatus.CANCELLED: _("Annuler l'intervention"),
    }
    icon = "calendar-check"
    menu_label = _("Interventions")
    list_display = [
        "number",
        UrgentColumn(),
        Column("client_account", label=_("Client"), sort_key="client_account__name"),
        Column("site", label=_("Site")),
        ChoiceColumn("status", label=_("Statut")),
        Column("planned_start", label=_("Début prévu"), sort_key="planned_start"),
        Column("technician_names", label=_("Techniciens"),
               accessor=lambda i: ", ".join(
                   str(t) for t in i.technicians.all())),
        YesNoColumn("under_warranty", label=_("Garantie")),
        StatusFlagColumn("signed_at", label=_("Signature"), true_label=_("Signé"),
                         accessor=lambda i: i.signed_at is not None),
    ]
    list_filter = ["status", "client_account", "urgent", "under_warranty"]
    search_fields = ["number", "description", "work_done", "client_account__name",
                     "client_account__code", "equipment__serial_number",
                     "serial_number_typed"]
    ordering = ["-planned_start", "-id"]
    related_panels = [intervention_documents_panel, intervention_lines_panel,
                      time_entries_panel, expenses_panel]
    inspect_view_class = InterventionInspectView
    inspect_view_fields = [
        "number", "ticket", "urgent", "client_account", "site", "equipment",
        "serial_number_typed", "contract", "status", "description",
        "planned_start", "planned_end", "technicians", "departure_at", "arrival_at", "end_at",
        "return_at", "meter_reading", "work_done", "comments", "under_warranty",
        "signer_name", "signed_at", "report", "created_by",
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    ReadOnly("number"),
                    intervention_ticket_panel,
                    FieldRowPanel([FieldPanel("client_account"), FieldPanel("site")]),
                    FieldRowPanel([FieldPanel("equipment"), FieldPanel("serial_number_typed")]),
                    FieldPanel("contract"),
                    FieldRowPanel([ReadOnly("status"), FieldPanel("urgent"),
                                   FieldPanel("under_warranty")]),
                    FieldPanel("description"),
                    FieldRowPanel([FieldPanel("planned_start"), FieldPanel("planned_end")]),
                    FieldPanel("technicians", widget=forms.CheckboxSelectMultiple),
                ],
                heading=_("Intervention"),
            ),
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("departure_at"), FieldPanel("arrival_at")]),
                    FieldRowPanel([FieldPanel("end_at"), FieldPanel("return_at")]),
                    FieldPanel("meter_reading"),
                    FieldPanel("work_done"),
                    FieldPanel("comments"),
                ],
                heading=_("Fiche"),
            ),
            ObjectList(
                [intervention_lines_panel, time_entries_panel, expenses_panel],
                heading=_("Lignes, temps et frais"),
            ),
            ObjectList([intervention_documents_panel], heading=_("Documents")),
            ObjectList(
                [
                    ReadOnly("signer_name"),
                    ReadOnly("signed_at"),
                    ReadOnly("signature_image"),
                    ReadOnly("report"),
                    ReadOnly("created_by"),
                ],
                heading=_("Signature et bon"),
            ),
        ],
        base_form_class=InterventionAdminForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/documents/<int:document_pk>/",
                 InterventionDocumentDownloadView.as_view(), name="document"),
        ]

    def get_queryset(self, request):
        return Intervention.objects.select_related("client_account", "site").prefetch_related(
            "technicians"
        )


class EquipmentViewSet(PortalSnippetViewSet):
    model = Equipment
    icon = "cogs"
    menu_label = _("Équipements")
    list_display = [
        "__str__",
        Column("client_account", label=_("Client"), sort_key="client_account__name"),
        Column("site", label=_("Site")),
        Column("install_date", label=_("Mise en service"), sort_key="install_date"),
        Column("warranty_end", label=_("Fin de garantie"), sort_key="warranty_end"),
        Column("contract", label=_("Contrat")),
        YesNoColumn("active", label=_("En service")),
    ]
    list_filter = ["client_account", "active"]
    search_fields = ["serial_number", "label", "brand", "model", "client_account__name",
                     "client_account__code", "site__name"]
    ordering = ["client_account__name", "serial_number"]
    related_panels = [
        RelatedObjectsPanel(
            "meter_readings", ["read_at", Cell("value", quantity=True), "intervention"],
            heading=_("Relevés compteur"), empty_text=_("Aucun relevé."),
            select_related=["intervention"],
        ),
        RelatedObjectsPanel(
            "interventions", ["number", "status", "planned_start", "work_done"],
            heading=_("Interventions"), empty_text=_("Aucune intervention."),
        ),
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("client_account"), FieldPanel("site")]),
            FieldRowPanel([FieldPanel("serial_number"), FieldPanel("label")]),
            FieldRowPanel([FieldPanel("brand"), FieldPanel("model")]),
            FieldRowPanel([FieldPanel("install_date"), FieldPanel("warranty_end")]),
            FieldPanel("contract"),
            FieldPanel("active"),
            *related_panels,
        ],
        base_form_class=EquipmentAdminForm,
    )

    def get_queryset(self, request):
        return Equipment.objects.select_related("client_account", "site", "contract")


class ServiceGroup(SnippetViewSetGroup):
    menu_label = _("Service")
    menu_icon = "calendar-check"
    menu_order = 210
    items = (InterventionViewSet, EquipmentViewSet, TechnicianProfileViewSet)


register_snippet(TicketViewSet)
register_snippet(ServiceGroup)


@hooks.register("register_snippet_listing_buttons")
def ticket_listing_buttons(snippet, user, next_url=None):
    """The Action Center's rows: « Créer l'intervention » and « Clôturer avec une réponse » in
    the « more » menu, when the request allows them."""
    if isinstance(snippet, Ticket):
        return ticket_action_buttons(snippet, user)
    return []


ACTION_CENTER_CSS = """
<style>
  .portal-timeline { list-style: none; margin: 0; padding: 0 0 0 1rem;
    border-inline-start: 2px solid var(--w-color-border-furniture); }
  .portal-timeline__event { position: relative; padding: 0 0 1rem 0.75rem; }
  .portal-timeline__event::before { content: ""; position: absolute; inset-inline-start: -1.45rem;
    top: 0.35rem; width: 0.75rem; height: 0.75rem; border-radius: 50%;
    background: var(--w-color-surface-page); border: 2px solid var(--w-color-secondary); }
  .portal-timeline__meta { color: var(--w-color-text-meta); font-size: 0.875rem; }
  .portal-ticket-summary { display: grid; gap: 0.25rem 1.5rem;
    grid-template-columns: max-content 1fr; margin: 0 0 2rem; }
  .portal-ticket-summary dt { font-weight: 600; }
  .portal-ticket-summary dd { margin: 0; }
  .portal-ticket-summary .portal-pre-line { white-space: pre-line; }
  .portal-actions { display: flex; flex-wrap: wrap; gap: 0.75rem; margin-top: 0.75rem; }
  /* Urgent: Wagtail's critical red, white bold capitals, so that it is seen first. */
  .w-status.portal-urgent { background: var(--w-color-critical-200); color: #fff;
    border-color: var(--w-color-critical-200); font-weight: 700; }
  .portal-serial { font-family: var(--w-font-mono, monospace); font-weight: 600;
    white-space: nowrap; }
  .portal-serial__note { display: block; color: var(--w-color-text-meta); font-size: 0.8125rem; }
</style>
"""


@hooks.register("insert_global_admin_css")
def action_center_css():
    return mark_safe(ACTION_CENTER_CSS)  # noqa: S308 - a constant
