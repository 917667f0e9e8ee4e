import datetime
import hashlib
import mimetypes
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction

from portal_api.accounts.models import ClientAccount, User

from .models import Document, DocumentKind


@transaction.atomic
def document_create(
    *, title: str, filename: str, content: bytes, kind: str = DocumentKind.OTHER,
    client_account: ClientAccount | None = None, related_object: models.Model | None = None,
    uploaded_by: User | None = None, owner: User | None = None, content_type: str = "",
    document_date: datetime.date | None = None,
) -> Document:
    """Store a file in the GED with its size, type and SHA-256. `document_date` is the
    document's own date (an invoice's issue date…); today when it has none of its own."""
    document = Document(
        title=title, kind=kind, client_account=client_account, uploaded_by=uploaded_by,
        owner=owner, size=len(content), checksum=hashlib.sha256(content).hexdigest(),
        content_type=content_type or mimetypes.guess_type(filename)[0]
        or "application/octet-stream",
    )
    if document_date is not None:
        document.document_date = document_date
    if related_object is not None:
        document.related_type = ContentType.objects.get_for_model(related_object)
        document.related_id = related_object.pk
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


@transaction.atomic
def document_fill_metadata(*, document: Document) -> Document:
    """Compute size, checksum and content type of a file stored without them (an upload
    through the back office). Safe to run again."""
    digest = hashlib.sha256()
    size = 0
    with document.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    document.size = size
    document.checksum = digest.hexdigest()
    document.content_type = document.content_type or (
        mimetypes.guess_type(document.file.name)[0] or "application/octet-stream"
    )
    document.save(update_fields=["size", "checksum", "content_type", "updated_at"])
    return document


def source_document(*, source: models.Model, kind: str) -> Document | None:
    """The stored document of this kind that belongs to a business object (an order's PDF, a
    contract's), if any."""
    return (Document.objects.filter(related_type=ContentType.objects.get_for_model(source),
                                    related_id=source.pk, kind=kind)
            .order_by("-pk").first())


def source_pdf_ensure(
    *, source: models.Model, kind: str, render: Callable[[], bytes], title: str,
    filename: str, client_account: ClientAccount | None,
    document_date: datetime.date | None, replace: bool = False,
) -> Document:
    """The PDF of a business object stored in the GED, related to it: rendered by `render`
    (a pure renderer) and stored when it has none yet, else the stored one. Safe to run
    twice or concurrently: the object's row is locked while the document is attached, so it
    never gets two. `replace` renders it again (the old file is deleted)."""
    existing = source_document(source=source, kind=kind)
    if existing is not None and not replace:
        return existing
    # Rendering takes a while: done before taking the lock.
    content = render()
    with transaction.atomic():
        list(type(source).objects.select_for_update().filter(pk=source.pk)
             .values_list("pk", flat=True))
        current = source_document(source=source, kind=kind)
        if current is not None and (not replace or current.pk != getattr(existing, "pk", None)):
            return current  # a concurrent run won
        document = document_create(
            title=title, filename=filename, content=content, kind=kind,
            client_account=client_account, related_object=source,
            content_type="application/pdf", document_date=document_date,
        )
        if current is not None:
            name, storage = current.file.name, current.file.storage
            current.delete()
            if name:
                transaction.on_commit(lambda: storage.delete(name))
    return document
