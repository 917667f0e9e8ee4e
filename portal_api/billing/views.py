from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from portal_api.common.api import ScopedReadOnlyViewSet, XlsxExportMixin
from portal_api.common.pagination import PortalPagination
from portal_api.common.schema import binary_response
from portal_api.documents.views import document_file_response

from . import selectors
from .exports import INVOICE_LIST
from .models import InvoiceStatus
from .serializers import InvoiceDetailSerializer, InvoiceSerializer
from .services import invoice_pdf_ensure, invoice_render_pdf

VIEW_INVOICES = "billing.view_invoices"


class TotalsPagination(PortalPagination):
    """Pagination whose count comes from the totals aggregate already run (one query less)."""

    known_count: int | None = None

    def django_paginator_class(self, queryset, per_page):
        paginator = Paginator(queryset, per_page)
        if self.known_count is not None:
            paginator.count = self.known_count  # overrides the cached_property
        return paginator


def with_pdf_file(invoices):
    """The stored PDF's storage name and content type on each invoice, for the signed link
    the serializer gives (one join in the page's query, no query per row)."""
    return invoices.annotate(pdf_storage_name=F("pdf__file"),
                             pdf_content_type=F("pdf__content_type"))


class InvoiceViewSet(XlsxExportMixin, ScopedReadOnlyViewSet):
    """The company's invoices (drafts never reach clients): list with filters and totals,
    detail with lines, .xlsx export, PDF download."""

    selector = selectors.invoice_list
    serializer_class = InvoiceSerializer
    # Its rows, filters, ordering and export columns: exports.INVOICE_LIST.
    exportable = INVOICE_LIST
    pagination_class = TotalsPagination
    rules_permissions = {"list": VIEW_INVOICES, "retrieve": VIEW_INVOICES, "pdf": VIEW_INVOICES}

    def get_queryset(self):
        user = self.request.user
        if self.action == "retrieve":
            return with_pdf_file(selectors.invoice_detail_list(user=user))
        if self.action == "pdf":
            # What the download reads: the invoice's number, status and company (the rules)
            # and its stored file. The services re-read the invoice when they render it.
            return (selectors.invoice_list(user=user).select_related(None).select_related("pdf")
                    .only("id", "number", "status", "client_account_id",
                          "pdf__id", "pdf__file", "pdf__content_type"))
        return super().get_queryset()

    def get_serializer_class(self):
        return InvoiceDetailSerializer if self.action == "retrieve" else InvoiceSerializer

    def list(self, request, *args, **kwargs):
        if request.query_params.get("format") == "xlsx":
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        # One aggregate query gives the totals and the count of the filtered list.
        totals = selectors.invoice_totals(invoices=queryset)
        self.paginator.known_count = totals["count"]
        page = self.paginate_queryset(with_pdf_file(queryset))
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        response.data["totals"] = {
            key: str(value) for key, value in totals.items() if key != "count"
        }
        response.data["permissions"] = self._permissions()
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response.data["permissions"] = self._permissions()
        return response

    def _permissions(self) -> dict:
        allowed = self.request.user.has_perm(VIEW_INVOICES)
        return {"download_pdf": allowed, "export": allowed}

    # No filter backends: the list's filters mean nothing for one invoice's file, and building
    # the filter set was a good part of the download's time (docs/performance.md).
    @extend_schema(responses=binary_response("application/pdf", description="La facture."))
    @action(detail=True, methods=["get"], url_path="pdf", filter_backends=[])
    def pdf(self, request, pk=None):
        """The invoice PDF as an attachment: the stored file, streamed from the private
        storage; rendered and stored first if it is missing."""
        invoice = self.get_object()
        if invoice.status == InvoiceStatus.DRAFT:  # staff only: rendered, never stored
            response = HttpResponse(invoice_render_pdf(invoice=invoice),
                                    content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="facture-brouillon-{invoice.pk}.pdf"'
            )
            return response
        document = invoice.pdf or invoice_pdf_ensure(invoice=invoice)
        filename = f"{invoice.number}.pdf"
        response = document_file_response(document, filename=filename)
        if response is None:  # the stored file went missing: render it again
            document = invoice_pdf_ensure(invoice=invoice, replace=True)
            response = document_file_response(document, filename=filename)
        return response if response is not None else Response(status=404)
