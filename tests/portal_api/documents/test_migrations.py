"""documents 0002: stored files get their own date from their source (the data migration's
backfill, run here on today's models)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from portal_api.billing.factories import ContractFactory
from portal_api.billing.models import Invoice
from portal_api.documents.models import Document, DocumentKind
from portal_api.documents.services import document_create
from portal_api.service.factories import InterventionFactory

pytestmark = pytest.mark.django_db

backfill = importlib.import_module(
    "portal_api.documents.migrations.0002_document_date").backfill


def stored(kind, related_object, company):
    return document_create(title=kind, filename=f"{kind}.pdf", content=b"%PDF-1.4",
                           kind=kind, client_account=company, related_object=related_object)


def test_each_document_takes_its_sources_date(dupond_company):
    contract = ContractFactory(client_account=dupond_company,
                               start_date=datetime.date(2025, 4, 1),
                               end_date=datetime.date(2026, 3, 31))
    invoice = Invoice.objects.create(client_account=dupond_company,
                                     issue_date=datetime.date(2026, 2, 12))
    signed = timezone.make_aware(datetime.datetime(2026, 1, 20, 23, 45))  # Paris
    intervention = InterventionFactory(site__client_account=dupond_company)
    type(intervention).objects.filter(pk=intervention.pk).update(signed_at=signed,
                                                                 signer_name="M. Martin")
    documents = {
        "contract": stored(DocumentKind.CONTRACT, contract, dupond_company),
        "invoice": stored(DocumentKind.INVOICE, invoice, dupond_company),
        "report": stored(DocumentKind.INTERVENTION_REPORT, intervention, dupond_company),
        "loose": stored(DocumentKind.OTHER, None, dupond_company),
    }
    uploaded = timezone.make_aware(datetime.datetime(2025, 11, 3, 10))
    Document.objects.update(document_date=datetime.date(2030, 1, 1), created_at=uploaded)
    backfill(apps, None)
    dates = {k: Document.objects.get(pk=d.pk).document_date for k, d in documents.items()}
    assert dates == {"contract": datetime.date(2025, 4, 1),
                     "invoice": datetime.date(2026, 2, 12),
                     "report": datetime.date(2026, 1, 20),
                     "loose": datetime.date(2025, 11, 3)}
