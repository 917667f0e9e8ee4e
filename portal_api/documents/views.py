from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound

from portal_api.common.api import ScopedReadOnlyViewSet

from . import selectors
from .filters import DocumentFilter
from .models import Document
from .serializers import DocumentSerializer

VIEW_DOCUMENTS = "documents.view_documents"


def document_file_response(document: Document, *, filename: str | None = None):
    """A stored GED file streamed from the private storage as an attachment (never inline),
    or None when the file is missing from the storage."""
    if not document.file:
        return None
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        return None
    return FileResponse(
        handle, as_attachment=True,
        filename=filename or document.file.name.rsplit("/", 1)[-1],
        content_type=document.content_type or "application/octet-stream",
    )


class DocumentViewSet(ScopedReadOnlyViewSet):
    """The company's documents (GED): contracts, orders, invoices, intervention reports;
    filterable by kind and period, each downloadable as an attachment."""

    selector = selectors.company_document_list
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    rules_permissions = {"list": VIEW_DOCUMENTS, "retrieve": VIEW_DOCUMENTS,
                         "download": VIEW_DOCUMENTS}
    ordering_fields = ["created_at", "title", "kind"]

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.data["permissions"] = {"download": request.user.has_perm(VIEW_DOCUMENTS)}
        return response

    # No filter backends: the list's filters mean nothing for one document's file.
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request, pk=None):
        document = self.get_object()
        response = document_file_response(document, filename=_download_name(document))
        if response is None:
            raise NotFound(_("Le fichier de ce document est introuvable."))
        return response


def _download_name(document: Document) -> str:
    stored = document.file.name.rsplit("/", 1)[-1]
    extension = stored.rsplit(".", 1)[-1] if "." in stored else ""
    base = "".join(c if c.isalnum() or c in "-_ ." else "_" for c in document.title).strip()
    if not base:
        return stored
    return f"{base}.{extension}" if extension and not base.endswith(f".{extension}") else base
