from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound

from portal_api.common.api import ScopedReadOnlyViewSet
from portal_api.common.schema import binary_response

from . import selectors
from .filters import DocumentFilter
from .links import checked_url, document_download_name, read_token, session_tag
from .models import Document, DocumentKind
from .serializers import DocumentSerializer

VIEW_DOCUMENTS = "documents.view_documents"
VIEW_DOCUMENT = "documents.download_document"


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
    # The list shows only what its source's right allows; one document of the user's company
    # that he may not read is a 403 (its source's right), another company's a 404.
    rules_permissions = {"list": VIEW_DOCUMENTS, "retrieve": VIEW_DOCUMENT,
                         "download": VIEW_DOCUMENT}
    ordering_fields = ["document_date", "created_at", "title", "kind"]

    def get_queryset(self):
        if self.action == "list":
            return super().get_queryset()
        return selectors.document_reachable_list(user=self.request.user)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.data["permissions"] = {"download": request.user.has_perm(VIEW_DOCUMENTS)}
        # The kinds to filter by: those the user may read and has documents of.
        labels = dict(DocumentKind.choices)
        response.data["kinds"] = [
            {"value": kind, "label": str(labels[kind])}
            for kind in selectors.company_document_kinds(user=request.user)
        ]
        return response

    # No filter backends: the list's filters mean nothing for one document's file.
    @extend_schema(responses=binary_response(
        "*/*", description="Le fichier, dans son propre type (PDF, image, classeur…)."))
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request, pk=None):
        document = self.get_object()
        response = document_file_response(document, filename=document_download_name(document))
        if response is None:
            raise NotFound(_("Le fichier de ce document est introuvable."))
        return response


@require_safe
def signed_download(request, token: str):
    """`/telechargement/<token>/`: a file behind a signed link a list issued (links.py), served
    without reading the database or the session store when the request carries the session
    the link was issued to: the signature, its age and the session cookie's tag, then the file,
    streamed as an attachment. Tampered token: 404. Otherwise the session is read: none, the
    login page (back here afterwards); another user's, 404; the same user's other session, the
    checked endpoint. An expired link, or a file gone from the storage, goes to the checked
    endpoint too, which checks the selector and the rule again (and renders a missing invoice
    PDF again)."""
    try:
        payload, fresh = read_token(token)
        holder, tag, storage_name = str(payload["u"]), payload["s"], payload["n"]
    except (signing.BadSignature, KeyError, TypeError):
        raise Http404 from None
    cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not cookie or not constant_time_compare(session_tag(cookie), tag):
        session_user = request.session.get(SESSION_KEY)
        if session_user is None:
            return redirect_to_login(request.get_full_path())
        if session_user != holder:
            raise Http404
        return redirect(checked_url(payload))
    if not fresh:
        return redirect(checked_url(payload))
    try:
        handle = Document.file.field.storage.open(storage_name, "rb")
    except FileNotFoundError:
        return redirect(checked_url(payload))
    response = FileResponse(handle, as_attachment=True, filename=payload.get("f") or None,
                            content_type=payload.get("c") or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    patch_vary_headers(response, ["Cookie"])
    return response
