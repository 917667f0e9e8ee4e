"""Short-lived signed download links (DESIGN.md, "Stored files").

Where a list already checked the selector and the rule (the invoice list and detail, the
documents list), it gives a browser session `/telechargement/<token>/` for each stored file: the
token, signed with the project's SECRET_KEY and a salt of its own, carries the document id, the
user it was issued to, a tag of the session it was issued to (an HMAC of the session key, never
the key), the file's storage name, content type and download name (and, for an invoice's PDF,
the invoice id). `signed_download` (views.py) serves it without reading the database or the
session store: the signature and its age, the session cookie against the tag, then the file.

What that trades (docs/architecture.md, docs/performance.md): for DOWNLOAD_LINK_MAX_AGE seconds
(300) after the list was served, whoever holds the link AND the cookie of the session it was
issued to gets the file, as it was when the list was served: a right revoked, an account
deactivated or a session ended in that time is seen at the next list load, not by the link.
Any other session of the same user, an expired link or a file gone from the storage is sent to
the checked endpoint, which checks the selector and the rule again; another user's session is
a 404, no session the login page.

The payload is signed, not encrypted: whoever holds a link can read the ids and the storage
name in it (never a path the web server publishes: the private storage has no URL)."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

from .models import Document

SALT = "portal_api.documents.signed-download"


@dataclass(frozen=True)
class LinkHolder:
    """Whom a signed link is issued to: a user, in one session."""

    user_id: str
    session_tag: str


def session_tag(session_key: str) -> str:
    """A tag of a session key to put in a link: an HMAC (SECRET_KEY), so the link never
    carries the key itself, which is the session's only secret."""
    return salted_hmac(f"{SALT}.session", session_key, algorithm="sha256").hexdigest()[:32]


def link_holder(request) -> LinkHolder | None:
    """Whom a signed link may be issued to for this request: its user in its session, when the
    session is the request's user's (a browser). None otherwise (token clients of the API, no
    session): they keep the checked endpoints, a signed link would not work for them."""
    if request is None:
        return None
    # Once per request, not once per row of the list that asks (an HMAC each time).
    if not hasattr(request, "_portal_link_holder"):
        request._portal_link_holder = _link_holder(request)
    return request._portal_link_holder


def _link_holder(request) -> LinkHolder | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    session = getattr(request, "session", None)
    if session is None or session.get(SESSION_KEY) != str(user.pk) or not session.session_key:
        return None
    return LinkHolder(user_id=str(user.pk), session_tag=session_tag(session.session_key))


def signed_download_url(*, holder: LinkHolder, document_id: int, storage_name: str,
                        content_type: str, filename: str, invoice_id: int | None = None) -> str:
    """`/telechargement/<token>/` for that stored file, valid DOWNLOAD_LINK_MAX_AGE seconds
    in the holder's session. Only to be called once the caller checked that this user may
    download the document (the list's selector and rule)."""
    payload = {"d": document_id, "u": holder.user_id, "s": holder.session_tag,
               "n": storage_name, "c": content_type, "f": filename}
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
    holder = link_holder(request)
    if holder is None or not document.file:
        return reverse("api:document-download", args=[document.pk])
    return signed_download_url(
        holder=holder, document_id=document.pk, storage_name=document.file.name,
        content_type=document.content_type, filename=document_download_name(document))
