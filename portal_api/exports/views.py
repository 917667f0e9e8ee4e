from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from portal_api.common.api import ScopedReadOnlyViewSet
from portal_api.common.schema import XLSX, binary_response
from portal_api.documents.views import document_file_response

from . import selectors, services
from .models import ExportStatus
from .serializers import ExportJobSerializer, InvoiceZipSerializer

VIEW_EXPORT = "exports.view_export"


class ExportJobViewSet(ScopedReadOnlyViewSet):
    """The user's own exports: follow one (status, rows written out of the total), download its
    file once done; ask for the ZIP of his invoice PDFs of a period. Long .xlsx exports are
    asked through each list's `?format=xlsx` (202 with the job). Another user's export is a
    404."""

    selector = selectors.export_job_list
    serializer_class = ExportJobSerializer
    filterset_fields = ["status", "kind"]
    ordering_fields = ["created_at"]
    rules_permissions = {"list": VIEW_EXPORT, "retrieve": VIEW_EXPORT, "download": VIEW_EXPORT,
                         "invoice_zip": "exports.request_invoice_zip"}

    @extend_schema(responses=binary_response(
        XLSX, "application/zip", description="Le classeur .xlsx, ou le ZIP des factures."))
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The exported file, as an attachment (404 until the export is done)."""
        job = self.get_object()
        if job.status != ExportStatus.DONE or job.document is None:
            raise NotFound(_("Cet export n'est pas encore prêt."))
        response = document_file_response(job.document, filename=job.filename or None)
        if response is None:
            raise NotFound(_("Le fichier de cet export est introuvable."))
        return response

    @extend_schema(request=InvoiceZipSerializer, responses={202: ExportJobSerializer})
    @action(detail=False, methods=["post"], url_path="invoice-zip")
    def invoice_zip(self, request):
        """Queue the ZIP of the user's invoice PDFs dated within the period (both days
        included): 202 with the export to follow."""
        serializer = InvoiceZipSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.invoice_zip_request(user=request.user,
                                           language=translation.get_language() or "fr",
                                           **serializer.validated_data)
        job.refresh_from_db()  # without a broker the task already ran
        data = ExportJobSerializer(job, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})
