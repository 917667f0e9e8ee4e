from django.contrib.auth import SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound

from portal_api.common.api import ScopedReadOnlyViewSet

from . import selectors
from .filters import DocumentFilter
from .links import checked_url, document_download_name, read_token
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
        response = document_file_response(document, filename=document_download_name(document))
        if response is None:
            raise NotFound(_("Le fichier de ce document est introuvable."))
        return response


@require_safe
def signed_download(request, token: str):
    """`/telechargement/<token>/`: a file behind a signed link a list issued (links.py). No
    database query: the signature, its age and the session's user id, then the file, streamed
    as an attachment. Tampered token or another user's session: 404. No session: the login
    page, back here afterwards. Expired link, or file gone from the storage: the checked
    endpoint, which checks the selector and the rule again (and renders a missing invoice PDF
    again)."""
    try:
        payload, fresh = read_token(token)
        holder, storage_name = str(payload["u"]), payload["n"]
    except (signing.BadSignature, KeyError, TypeError):
        raise Http404 from None
    session_user = request.session.get(SESSION_KEY)
    if session_user is None:
        return redirect_to_login(request.get_full_path())
    if session_user != holder:
        raise Http404
    if not fresh:
        return redirect(checked_url(payload))
    try:
        handle = Document.file.field.storage.open(storage_name, "rb")
    except FileNotFoundError:
        return redirect(checked_url(payload))
    response = FileResponse(handle, as_attachment=True, filename=payload.get("f") or None,
                            content_type=payload.get("c") or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    return response
