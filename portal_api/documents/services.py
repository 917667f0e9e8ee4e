import hashlib
import mimetypes

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
) -> Document:
    """Store a file in the GED with its size, type and SHA-256."""
    document = Document(
        title=title, kind=kind, client_account=client_account, uploaded_by=uploaded_by,
        owner=owner, size=len(content), checksum=hashlib.sha256(content).hexdigest(),
        content_type=content_type or mimetypes.guess_type(filename)[0]
        or "application/octet-stream",
    )
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
