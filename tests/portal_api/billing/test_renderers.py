"""The invoice PDF: it opens, and carries the number, the totals, VAT by rate, the seller's
branding and legal identity and the French legal mentions (text extracted with pypdf)."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cms.models import BrandingSettings
from portal_api.billing.selectors import invoice_pdf_context
from portal_api.billing.services import invoice_create_draft, invoice_issue, invoice_render_pdf
from portal_api.orders.services import order_create_draft
from workflows.renderers import render_pdf

from .conftest import make_invoice

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Thousands are grouped with (narrow) no-break spaces: plain spaces for the asserts.
    return re.sub(r"[\u00a0\u202f]", " ", text)


@pytest.fixture
def brand(db):
    brand = BrandingSettings.load()
    brand.company_name = "Atelier Services"
    brand.address = "12 rue des Artisans\n69007 Lyon"
    brand.siret = "81234567800019"
    brand.vat_number = "FR32812345678"
    brand.legal_form = "SAS"
    brand.share_capital = Decimal("50000")
    brand.rcs = "RCS Lyon 812 345 678"
    brand.payment_terms = "Règlement par virement bancaire."
    brand.primary_color = "#0b5cad"
    brand.save()
    return brand


@pytest.fixture
def invoice(dupond_company):
    dupond_company.siret = "55512345600017"
    dupond_company.vat_number = "FR55555123456"
    dupond_company.save()
    return make_invoice(dupond_company, issue_date=datetime.date(2026, 3, 1), lines=[
        {"label": "Chaudière murale", "quantity": "1", "unit_price_excl_tax": "1890.00",
         "vat_rate": "20.00"},
        {"label": "Main-d'œuvre", "quantity": "2", "unit_price_excl_tax": "55.00",
         "vat_rate": "10.00"},
        {"label": "Joint", "quantity": "3", "unit_price_excl_tax": "1.99", "vat_rate": "5.50"},
    ])


def test_the_pdf_opens_and_holds_number_dates_and_parties(brand, invoice):
    content = invoice_render_pdf(invoice=invoice)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert invoice.number in text
    assert "Date de facture 01/03/2026" in text
    assert "Date d'échéance 31/03/2026" in text
    # Seller (branding) and buyer, each with SIRET and VAT number.
    assert "Atelier Services" in text and "12 rue des Artisans" in text
    assert "81234567800019" in text and "FR32812345678" in text
    assert "Dupond Industrie" in text
    assert "55512345600017" in text and "FR55555123456" in text


def test_the_pdf_holds_lines_vat_by_rate_and_totals(brand, invoice):
    text = pdf_text(invoice_render_pdf(invoice=invoice))
    assert "Chaudière murale" in text and "Joint" in text
    # 1890.00 at 20 %, 110.00 at 10 %, 5.97 at 5.5 %
    assert "TVA 20 % 1 890,00 € 378,00 €" in text
    assert "TVA 10 % 110,00 € 11,00 €" in text
    assert "TVA 5,50 % 5,97 € 0,33 €" in text
    assert "Total HT 2 005,97 €" in text
    assert "Total TVA 389,33 €" in text
    assert "Total TTC 2 395,30 €" in text
    assert str(invoice.total_incl_tax) == "2395.30"


def test_the_pdf_holds_the_french_legal_mentions(brand, invoice):
    text = " ".join(pdf_text(invoice_render_pdf(invoice=invoice)).split())
    # The issuer's identity: form and capital, address, SIRET, RCS, VAT number.
    assert "SAS au capital de 50 000 €" in text
    assert "12 rue des Artisans" in text and "69007 Lyon" in text
    assert "SIRET : 81234567800019 · RCS Lyon 812 345 678" in text
    assert "N° TVA intracommunautaire : FR32812345678" in text
    # The buyer's billing address.
    assert invoice.client_account.address in text and invoice.client_account.city in text
    # Dates: issue, sale or service (here the invoice's own), due.
    assert "Date de livraison / prestation 01/03/2026" in text
    assert "Date d'échéance : 31/03/2026 (30 jours date de facture)." in text
    assert "Règlement par virement bancaire." in text
    assert "Pas d'escompte pour paiement anticipé" in text
    assert "3 fois le taux d'intérêt légal" in text
    assert "indemnité forfaitaire pour frais de recouvrement de 40 €" in text
    assert "L441-10" in text
    assert "—" not in text


def test_a_fresh_install_prints_no_empty_mentions_but_the_legal_terms(invoice):
    # BrandingSettings as a fresh portal_init leaves them: no SIRET, address, RCS, capital.
    brand = BrandingSettings.load()
    assert not (brand.siret or brand.rcs or brand.legal_form or brand.address)
    text = " ".join(pdf_text(invoice_render_pdf(invoice=invoice)).split())
    assert "—" not in text
    assert "au capital" not in text and "RCS" not in text
    # What the law applies when nothing is agreed is still stated.
    assert "Pas d'escompte pour paiement anticipé" in text
    assert "3 fois le taux d'intérêt légal" in text
    assert "40 €" in text


def test_cleared_terms_fall_back_to_the_legal_defaults(brand, invoice):
    brand.late_penalty_rate = brand.discount_terms = brand.payment_terms = ""
    brand.save()
    text = " ".join(pdf_text(invoice_render_pdf(invoice=invoice)).split())
    assert "Pas d'escompte pour paiement anticipé" in text
    assert "3 fois le taux d'intérêt légal" in text


def test_a_client_without_vat_number_gets_no_empty_line(brand, invoice):
    client = invoice.client_account
    client.vat_number = client.siret = ""
    client.save()
    text = pdf_text(invoice_render_pdf(invoice=invoice))
    assert "FR55555123456" not in text
    assert text.count("N° TVA intracommunautaire") == 1  # the seller's only


def test_the_sale_date_is_the_orders_delivery(brand, dupond_company, dupond):
    order = order_create_draft(client_account=dupond_company, prepared_by=dupond)
    type(order).objects.filter(pk=order.pk).update(
        delivered_at=timezone.make_aware(datetime.datetime(2026, 2, 20, 10, 0)))
    draft = invoice_create_draft(client_account=dupond_company, order=order, lines=[
        {"label": "Joint", "quantity": "1", "unit_price_excl_tax": "2.00",
         "vat_rate": "20.00"}])
    issued = invoice_issue(invoice=draft, issue_date=datetime.date(2026, 3, 1), render_pdf=False)
    text = pdf_text(invoice_render_pdf(invoice=issued))
    assert "Date de livraison / prestation 20/02/2026" in text


def test_the_renderer_prints_the_seller_its_caller_gives(invoice):
    # Data in, bytes out: the template reads no setting itself.
    seller = {"name": "Société Donnée", "address": "1 place Bellecour", "siret": "12345678900011",
              "vat_number": "FR00123456789", "legal_form": "SARL",
              "share_capital": Decimal("1000"), "rcs": "RCS Lyon 123 456 789",
              "payment_terms": "", "late_penalty_rate": "10 % l'an",
              "discount_terms": "Escompte de 2 % pour paiement sous 8 jours.",
              "primary_color": "#112233", "logo": None}
    text = " ".join(pdf_text(render_pdf(
        template="pdf/invoice.html",
        context=invoice_pdf_context(invoice=invoice, seller=seller))).split())
    assert "Société Donnée" in text and "SARL au capital de 1 000 €" in text
    assert "RCS Lyon 123 456 789" in text and "10 % l'an" in text
    assert "Escompte de 2 %" in text and "Pas d'escompte" not in text


def test_the_pdf_does_not_change_with_payment_and_a_draft_is_marked(brand, dupond_company):
    # The stored PDF is the invoice as issued, whenever it is rendered.
    paid = make_invoice(dupond_company, status="paid", issue_date=datetime.date(2026, 2, 1))
    text = pdf_text(invoice_render_pdf(invoice=paid))
    assert "Date d'échéance 03/03/2026" in text and "ACQUITT" not in text.upper()
    draft = make_invoice(dupond_company, status="draft")
    text = pdf_text(invoice_render_pdf(invoice=draft))
    assert "BROUILLON" in text and "N° brouillon" in text


def test_company_names_are_escaped(brand, invoice):
    brand.company_name = "Atelier <b>& Fils</b> d'Anjou"
    brand.save()
    text = pdf_text(invoice_render_pdf(invoice=invoice))
    assert "Atelier <b>& Fils</b> d'Anjou" in text


def test_the_branding_logo_and_colour_are_used(brand, invoice):
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    # (A database flushed by a browser test has lost the root collection.)
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    buffer = io.BytesIO()
    PILImage.new("RGB", (240, 80), "#c2410c").save(buffer, format="PNG")
    image = get_image_model().objects.create(
        title="Logo", collection=root,
        file=ImageFile(io.BytesIO(buffer.getvalue()), name="logo.png"))
    brand.logo = image
    brand.save()
    reader = PdfReader(io.BytesIO(invoice_render_pdf(invoice=invoice)))
    assert len(reader.pages[0].images) == 1

    brand.logo = None
    brand.save()
    reader = PdfReader(io.BytesIO(invoice_render_pdf(invoice=invoice)))
    assert len(reader.pages[0].images) == 0
