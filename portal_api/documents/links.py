"""Short-lived signed download links (DESIGN.md, "Stored files").

Where a list already checked the selector and the rule (the invoice list and detail, the
documents list), each file's link is `/telechargement/<token>/`: the token, signed with the
project's SECRET_KEY and a salt of its own, carries the document id, the id of the user it was
issued to, the file's storage name, content type and download name (and, for an invoice's PDF,
the invoice id). `signed_download` (views.py) serves it without asking the database anything:
the signature and its age, then the session's user id (one cache read with `cached_db`
sessions, one query with database sessions), then the file.

What that trades (docs/architecture.md, docs/performance.md): for DOWNLOAD_LINK_MAX_AGE seconds
(300) after the list was served, whoever holds the link AND a session of the same user gets
the file, as it was named when the list was served; a right revoked in that time is seen at
the next list load. An expired link (the page left open) or a file gone from the storage
sends to the checked endpoint, which checks everything again.

The payload is signed, not encrypted: whoever holds a link can read the ids and the storage
name in it (never a path the web server publishes: the private storage has no URL)."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import signing
from django.urls import reverse

from .models import Document

SALT = "portal_api.documents.signed-download"


def link_holder_id(request) -> str | None:
    """The user id a signed link may be issued to for this request: the user of the request's
    session, when it is the request's user (a browser). None otherwise (token clients of the
    API, no session): they keep the checked endpoints, a signed link would not work for them."""
    if request is None:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    session = getattr(request, "session", None)
    holder = session.get(SESSION_KEY) if session is not None else None
    return holder if holder is not None and holder == str(user.pk) else None


def signed_download_url(*, holder: str, document_id: int, storage_name: str,
                        content_type: str, filename: str, invoice_id: int | None = None) -> str:
    """`/telechargement/<token>/` for that stored file, valid DOWNLOAD_LINK_MAX_AGE seconds
    for the sessions of the user `holder`. Only to be called once the caller checked that
    this user may download the document (the list's selector and rule)."""
    payload = {"d": document_id, "u": holder, "n": storage_name, "c": content_type,
               "f": filename}
    if invoice_id is not None:
        payload["i"] = invoice_id
    return reverse("signed-download", args=[signing.dumps(payload, salt=SALT, compress=True)])


def read_token(token: str) -> tuple[dict, bool]:
    """(payload, fresh): the payload of an authentic token, and whether it is still within
    DOWNLOAD_LINK_MAX_AGE. Raises signing.BadSignature for a tampered or foreign token."""
    try:
        return signing.loads(token, salt=SALT, max_age=settings.DOWNLOAD_LINK_MAX_AGE), True
    except signing.SignatureExpired:
        return signing.loads(token, salt=SALT), False


def checked_url(payload: dict) -> str:
    """The endpoint that checks everything again for the file of this payload: the invoice's
    PDF endpoint (which also renders a missing PDF again), else the document's download."""
    if payload.get("i") is not None:
        return reverse("api:invoice-pdf", args=[payload["i"]])
    return reverse("api:document-download", args=[payload["d"]])


def document_download_name(document: Document) -> str:
    """The name a document is downloaded under: its title (made safe) with the stored file's
    extension."""
    stored = document.file.name.rsplit("/", 1)[-1]
    extension = stored.rsplit(".", 1)[-1] if "." in stored else ""
    base = "".join(c if c.isalnum() or c in "-_ ." else "_" for c in document.title).strip()
    if not base:
        return stored
    return f"{base}.{extension}" if extension and not base.endswith(f".{extension}") else base


def document_link(document: Document, *, request) -> str:
    """The link a list gives for a document it shows: signed for a browser session, else the
    checked download endpoint."""
    holder = link_holder_id(request)
    if holder is None or not document.file:
        return reverse("api:document-download", args=[document.pk])
    return signed_download_url(
        holder=holder, document_id=document.pk, storage_name=document.file.name,
        content_type=document.content_type, filename=document_download_name(document))
