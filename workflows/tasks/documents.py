"""Celery tasks: take ids, fetch, call a service; safe to run twice."""

from celery import shared_task

from portal_api.documents.models import Document
from portal_api.documents.services import document_fill_metadata


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def document_fill_metadata_task(self, document_id: int) -> str | None:
    """Size, type and checksum of a file uploaded through the back office."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:  # deleted meanwhile: nothing to do
        return None
    if document.checksum:
        return document.checksum
    return document_fill_metadata(document=document).checksum
