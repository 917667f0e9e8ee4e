from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from portal_api.accounts.selectors import client_account_list, company_get
from portal_api.billing.selectors import contract_list
from portal_api.common.api import ScopedReadOnlyViewSet, ScopedViewSetMixin, XlsxExportMixin
from portal_api.common.errors import ServiceError
from portal_api.documents.views import document_file_response

from . import selectors, services
from .exports import EQUIPMENT_LIST, INTERVENTION_LIST
from .filters import ClientFilter, InterventionScope, TicketFilter
from .models import Expense, InterventionLine, Ticket, TimeEntry
from .serializers import (
    ClientChoiceSerializer,
    DocumentsUploadedSerializer,
    DocumentsUploadSerializer,
    EquipmentDetailSerializer,
    EquipmentSerializer,
    ExpenseCreateSerializer,
    InterventionCreateSerializer,
    InterventionDetailSerializer,
    InterventionLineAddSerializer,
    InterventionLineUpdateSerializer,
    InterventionSerializer,
    InterventionSheetSerializer,
    SignSerializer,
    TicketCreateSerializer,
    TicketDetailSerializer,
    TicketSerializer,
    TimeEntryCreateSerializer,
    document_item,
    intervention_document_url,
)

IDEMPOTENCY_KEY_MAX = 80


def _idempotency_key(request) -> str:
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:
        message = _("La clé d'idempotence ne doit pas dépasser 80 caractères.")
        raise ServiceError(message, fields={"Idempotency-Key": [message]})
    return key


def _file_or_404(response):
    if response is None:
        raise NotFound(_("Ce fichier est introuvable."))
    return response


class _DetailMixin:
    def filter_queryset(self, queryset):
        # The list's filters and ordering mean nothing for one object (and cost a FilterSet).
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def _validated(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data,
                                      context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def _binary(content_type: str, description: str) -> dict:
    return {(200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)}


# Equipment -------------------------------------------------------------------------------


class EquipmentViewSet(XlsxExportMixin, ScopedReadOnlyViewSet):
    """The installed base of the user's company (le parc); staff and technicians filter it
    by client."""

    selector = selectors.equipment_list
    serializer_class = EquipmentSerializer
    rules_permissions = {"list": "service.consult_equipment",
                         "retrieve": "service.consult_equipment"}
    # Its rows, filters, ordering and export columns: exports.EQUIPMENT_LIST.
    exportable = EQUIPMENT_LIST
    def get_serializer_class(self):
        return EquipmentDetailSerializer if self.action == "retrieve" else EquipmentSerializer

    def retrieve(self, request, *args, **kwargs):
        equipment = self.get_object()
        context = self.get_serializer_context()
        # The interventions done on it, for a user who may follow interventions.
        context["interventions"] = (
            selectors.equipment_intervention_list(user=request.user, equipment=equipment)
            if request.user.has_perm("service.consult_intervention") else None
        )
        return Response(self.get_serializer(equipment, context=context).data)


# Clients ---------------------------------------------------------------------------------


class ClientViewSet(ScopedReadOnlyViewSet):
    """The active client companies, for the staff and the technicians to pick one (creating
    an intervention, filtering a list)."""

    selector = client_account_list
    serializer_class = ClientChoiceSerializer
    filterset_class = ClientFilter
    rules_permissions = {"list": "service.choose_client", "retrieve": "service.choose_client"}
    ordering_fields = ["name", "code"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return super().get_queryset().filter(active=True)


# Tickets (intervention requests) ---------------------------------------------------------

VIEW_TICKETS = "service.view_tickets"
REQUEST_INTERVENTION = "service.request_intervention"


class TicketViewSet(_DetailMixin, ScopedViewSetMixin, mixins.ListModelMixin,
                    mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The company's intervention requests with their timeline; a user with the right files
    a new one (with photos and documents)."""

    selector = selectors.ticket_list
    filterset_class = TicketFilter
    ordering_fields = ["created_at", "number", "status", "urgent"]
    ordering = ["-created_at", "-id"]
    rules_permissions = {
        "list": VIEW_TICKETS,
        "retrieve": VIEW_TICKETS,
        "attachment": VIEW_TICKETS,
        "create": REQUEST_INTERVENTION,
    }
    # Each request e-mails the staff: a stricter rate (common/throttling.py).
    throttle_scopes = {"create": "ticket_create"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema: no database
            return Ticket.objects.none()
        if self.action == "list":
            return super().get_queryset()
        return selectors.ticket_detail_list(user=self.request.user)

    def get_serializer_class(self):
        return TicketSerializer if self.action == "list" else TicketDetailSerializer

    def _detail(self, ticket, status_code=status.HTTP_200_OK) -> Response:
        ticket = selectors.ticket_detail_list(user=self.request.user).get(pk=ticket.pk)
        return Response(TicketDetailSerializer(ticket, context=self.get_serializer_context())
                        .data, status=status_code)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.data["can"] = {"create": request.user.has_perm(REQUEST_INTERVENTION)}
        return response

    @extend_schema(
        request={"multipart/form-data": TicketCreateSerializer,
                 "application/json": TicketCreateSerializer},
        responses={201: TicketDetailSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                     description="La même clé renvoie la même demande.")],
    )
    def create(self, request, *args, **kwargs):
        """File a request: an equipment of the company or a serial number typed by hand, a
        description, urgent or not, the contact to answer (default: the requester), files."""
        key = _idempotency_key(request)
        data = self._validated(TicketCreateSerializer)
        ticket = services.ticket_create(
            client_account=company_get(user=request.user), requester=request.user,
            description=data["description"], equipment=data.get("equipment"),
            serial_number_typed=data.get("serial_number", ""), urgent=data["urgent"],
            reply_to=data.get("reply_to"), attachments=data["attachments"],
            idempotency_key=key, site=data.get("site"),
        )
        return self._detail(ticket, status.HTTP_201_CREATED)

    @extend_schema(responses=_binary("*/*", "Le fichier joint, dans son propre type."))
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<document_id>[0-9]+)",
            url_name="attachment")
    def attachment(self, request, pk=None, document_id=None):
        """Download one of the request's attachments."""
        ticket = self.get_object()
        document = next((d for d in ticket.attachments if d.pk == int(document_id)), None)
        if document is None:
            raise NotFound
        return _file_or_404(document_file_response(document))


# Interventions ---------------------------------------------------------------------------

CONSULT = "service.consult_intervention"
EDIT = "service.edit_intervention_sheet"


class InterventionViewSet(_DetailMixin, XlsxExportMixin, ScopedViewSetMixin,
                          mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """Interventions: the clients follow theirs by period; the technicians fill in the sheet
    (times, meter, work done, lines, time, expenses, documents) and have it signed. Every
    write goes through a service; a signed sheet is locked (409)."""

    selector = selectors.intervention_list
    # Its rows, filters, ordering and export columns: exports.INTERVENTION_LIST.
    exportable = INTERVENTION_LIST
    rules_permissions = {
        "list": CONSULT,
        "retrieve": CONSULT,
        "document": CONSULT,
        "report": CONSULT,
        "signature": CONSULT,
        "create": "service.create_intervention_on_site",
        "partial_update": EDIT,
        "lines": EDIT,
        "line": EDIT,
        "time_entries": EDIT,
        "time_entry": EDIT,
        "expenses": EDIT,
        "expense": EDIT,
        "documents": EDIT,
        "sign": "service.sign_intervention",
    }
    # Uploads (photos, documents, receipts): a stricter rate (common/throttling.py).
    throttle_scopes = {"documents": "upload", "expenses": "upload"}
    def get_serializer_class(self):
        return InterventionSerializer if self.action == "list" else InterventionDetailSerializer

    def _detail(self, intervention, status_code=status.HTTP_200_OK) -> Response:
        user = self.request.user
        intervention = selectors.intervention_detail_list(user=user).get(pk=intervention.pk)
        context = self.get_serializer_context()
        context.update(
            documents=selectors.intervention_document_list(user=user,
                                                            intervention=intervention),
            contracts=contract_list(user=user).filter(
                client_account_id=intervention.client_account_id, active=True,
            ).order_by("number"),
            warranty_proposed=services.intervention_warranty_proposed(
                intervention=intervention),
            contract_proposed=services.intervention_contract_proposed(
                intervention=intervention),
        )
        return Response(InterventionDetailSerializer(intervention, context=context).data,
                        status=status_code)

    def list(self, request, *args, **kwargs):
        if (request.query_params.get("scope") == InterventionScope.ALL
                and request.user.has_perm("service.choose_client")
                and not request.user.has_perm("service.consult_all_interventions")):
            raise PermissionDenied(_("Vous ne voyez que vos propres interventions."))
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(request=InterventionCreateSerializer,
                   responses={201: InterventionDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Create an intervention on site (an extra job): the technician is assigned and it
        starts now."""
        data = self._validated(InterventionCreateSerializer)
        intervention = services.intervention_create_on_site(
            by=request.user, client_account=data["client_account"], site=data["site"],
            equipment=data.get("equipment"), description=data["description"],
        )
        return self._detail(intervention, status.HTTP_201_CREATED)

    @extend_schema(request=InterventionSheetSerializer, responses=InterventionDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Fill in the sheet: times, meter reading, work done, comments, warranty, contract."""
        intervention = self.get_object()
        data = self._validated(InterventionSheetSerializer, partial=True)
        services.intervention_sheet_update(intervention=intervention, by=request.user, **data)
        return self._detail(intervention)

    @extend_schema(request=InterventionLineAddSerializer,
                   responses={201: InterventionDetailSerializer})
    @action(detail=True, methods=["post"], url_path="lines")
    def lines(self, request, pk=None):
        """Add an article or labour line from the technicians' catalogue."""
        intervention = self.get_object()
        data = self._validated(InterventionLineAddSerializer)
        services.intervention_line_add(intervention=intervention, article=data["article"],
                                       quantity=data["quantity"], label=data["label"])
        return self._detail(intervention, status.HTTP_201_CREATED)

    @extend_schema(methods=["PATCH"], request=InterventionLineUpdateSerializer,
                   responses=InterventionDetailSerializer)
    @extend_schema(methods=["DELETE"], request=None,
                   responses={200: InterventionDetailSerializer})
    @action(detail=True, methods=["patch", "delete"], url_path=r"lines/(?P<line_id>[0-9]+)")
    def line(self, request, pk=None, line_id=None):
        """Change a line's quantity or label (PATCH) or remove it (DELETE)."""
        intervention = self.get_object()
        line = get_object_or_404(InterventionLine, pk=line_id, intervention=intervention)
        if request.method == "DELETE":
            services.intervention_line_remove(line=line)
        else:
            data = self._validated(InterventionLineUpdateSerializer)
            services.intervention_line_update(line=line, quantity=data["quantity"],
                                              label=data.get("label"))
        return self._detail(intervention)

    @extend_schema(request=TimeEntryCreateSerializer,
                   responses={201: InterventionDetailSerializer})
    @action(detail=True, methods=["post"], url_path="time-entries", url_name="time-entries")
    def time_entries(self, request, pk=None):
        """Record time spent (work on site or travel) by the acting technician."""
        intervention = self.get_object()
        data = self._validated(TimeEntryCreateSerializer)
        services.time_entry_add(intervention=intervention, technician=request.user, **data)
        return self._detail(intervention, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: InterventionDetailSerializer})
    @action(detail=True, methods=["delete"], url_path=r"time-entries/(?P<entry_id>[0-9]+)",
            url_name="time-entry")
    def time_entry(self, request, pk=None, entry_id=None):
        intervention = self.get_object()
        entry = get_object_or_404(TimeEntry, pk=entry_id, intervention=intervention)
        services.time_entry_remove(entry=entry)
        return self._detail(intervention)

    @extend_schema(request={"multipart/form-data": ExpenseCreateSerializer,
                            "application/json": ExpenseCreateSerializer},
                   responses={201: InterventionDetailSerializer})
    @action(detail=True, methods=["post"], url_path="expenses")
    def expenses(self, request, pk=None):
        """Record an expense (meal, fuel, toll…) with its receipt photo."""
        intervention = self.get_object()
        data = self._validated(ExpenseCreateSerializer)
        services.expense_add(intervention=intervention, technician=request.user,
                             kind=data["kind"], date=data["date"], amount=data["amount"],
                             comment=data["comment"], receipt=data.get("receipt"))
        return self._detail(intervention, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: InterventionDetailSerializer})
    @action(detail=True, methods=["delete"], url_path=r"expenses/(?P<expense_id>[0-9]+)")
    def expense(self, request, pk=None, expense_id=None):
        intervention = self.get_object()
        expense = get_object_or_404(Expense, pk=expense_id, intervention=intervention)
        services.expense_remove(expense=expense)
        return self._detail(intervention)

    @extend_schema(request={"multipart/form-data": DocumentsUploadSerializer},
                   responses={201: DocumentsUploadedSerializer})
    @action(detail=True, methods=["post"], url_path="documents")
    def documents(self, request, pk=None):
        """Add photos and documents to the intervention (stored in the GED)."""
        intervention = self.get_object()
        data = self._validated(DocumentsUploadSerializer)
        documents = services.intervention_documents_add(intervention=intervention,
                                                        by=request.user, files=data["files"])
        return Response({"documents": [
            document_item(d, intervention_document_url(intervention, d)) for d in documents
        ]}, status=status.HTTP_201_CREATED)

    @extend_schema(responses=_binary("*/*", "Le document, dans son propre type."))
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>[0-9]+)",
            url_name="document")
    def document(self, request, pk=None, document_id=None):
        """Download one of its documents (or of the request it came from)."""
        intervention = self.get_object()
        document = get_object_or_404(
            selectors.intervention_document_list(user=request.user, intervention=intervention),
            pk=document_id,
        )
        return _file_or_404(document_file_response(document))

    @extend_schema(request=SignSerializer, responses=InterventionDetailSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """The customer signs on the screen: the sheet is checked, locked, and its report
        rendered."""
        intervention = self.get_object()
        data = self._validated(SignSerializer)
        services.intervention_sign(intervention=intervention, by=request.user,
                                   signer_name=data["signer_name"],
                                   signature_png=data["signature"])
        return self._detail(intervention)

    @extend_schema(responses=_binary("application/pdf", "Le bon d'intervention signé."))
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """The signed report (bon d'intervention) as a PDF attachment; rendered now if it is
        not there yet."""
        intervention = self.get_object()
        if intervention.signed_at is None:
            raise NotFound(_("Le bon d'intervention sera disponible une fois signé."))
        filename = f"{intervention.number}.pdf"
        document = services.intervention_report_ensure(intervention=intervention)
        response = document_file_response(document, filename=filename)
        if response is None:  # the stored file went missing: render it again
            document = services.intervention_report_ensure(intervention=intervention,
                                                           replace=True)
            response = document_file_response(document, filename=filename)
        return _file_or_404(response)

    @extend_schema(responses=_binary("image/png", "La signature du client."))
    @action(detail=True, methods=["get"])
    def signature(self, request, pk=None):
        """The customer's signature image."""
        intervention = self.get_object()
        if not intervention.signature_image:
            raise NotFound(_("Cette intervention n'est pas signée."))
        try:
            handle = intervention.signature_image.open("rb")
        except FileNotFoundError as exc:
            raise NotFound(_("Ce fichier est introuvable.")) from exc
        return FileResponse(handle, as_attachment=True,
                            filename=f"signature-{intervention.number}.png",
                            content_type="image/png")
