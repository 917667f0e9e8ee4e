"""The service's test world: Dupond's sites, equipment, contract and contacts, another company's,
technicians' catalogue, and files (real images, a PDF, a signature) built in memory."""

import datetime
import io
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw

from portal_api.accounts.factories import (
    ContactFactory,
    SiteFactory,
    StaffFactory,
    TechnicianProfileFactory,
)
from portal_api.billing.factories import ContractFactory
from portal_api.catalog.factories import ArticleFactory, ArticleFamilyFactory
from portal_api.service.factories import EquipmentFactory, InterventionFactory


@pytest.fixture
def dupond_site(dupond_company):
    return SiteFactory(client_account=dupond_company, name="Usine de Vénissieux")


@pytest.fixture
def other_site(other_company):
    return SiteFactory(client_account=other_company, name="Site d'un autre client")


@pytest.fixture
def dupond_contract(dupond_company):
    return ContractFactory(client_account=dupond_company, number="CT-DUP-01",
                           title="Maintenance chaufferie",
                           start_date=datetime.date(2020, 1, 1),
                           end_date=datetime.date(2099, 12, 31))


@pytest.fixture
def other_contract(other_company):
    return ContractFactory(client_account=other_company, number="CT-AUT-01")


@pytest.fixture
def boiler(dupond_site, dupond_contract):
    """Dupond's boiler: under contract, under warranty for another year."""
    return EquipmentFactory(site=dupond_site, serial_number="VIT-2019-0042", brand="Viessmann",
                            model="Vitodens 200", contract=dupond_contract,
                            install_date=datetime.date(2019, 5, 1),
                            warranty_end=datetime.date.today() + datetime.timedelta(days=365))


@pytest.fixture
def old_pump(dupond_site):
    """Dupond's pump, out of warranty and without contract."""
    return EquipmentFactory(site=dupond_site, serial_number="GRU-777", brand="Grundfos",
                            model="Magna3", install_date=datetime.date(2012, 3, 1),
                            warranty_end=datetime.date(2014, 3, 1))


@pytest.fixture
def other_equipment(other_site):
    return EquipmentFactory(site=other_site, serial_number="AUT-0001")


@pytest.fixture
def martin_contact(dupond_company, martin):
    return ContactFactory(client_account=dupond_company, first_name="Paul", last_name="Martin",
                          email="martin@dupond-industrie.fr")


@pytest.fixture
def dupond_contact(dupond_company):
    return ContactFactory(client_account=dupond_company, first_name="Sophie",
                          last_name="Leroy", email="s.leroy@dupond-industrie.fr")


@pytest.fixture
def other_contact(other_company):
    return ContactFactory(client_account=other_company, email="contact@autre.example.fr")


@pytest.fixture
def tech_family(db):
    return ArticleFamilyFactory(code="CHAUF", name="Chauffage")


@pytest.fixture
def part(tech_family):
    """A part the technicians may put on a sheet."""
    return ArticleFactory(family=tech_family, reference="CIRC-25", label="Circulateur 25-60",
                          price_excl_tax=Decimal("189.00"))


@pytest.fixture
def labour(tech_family):
    return ArticleFactory(family=tech_family, reference="MO-TECH", label="Main d'œuvre",
                          kind="labour", unit="h", track_stock=False,
                          price_excl_tax=Decimal("68.00"))


@pytest.fixture
def office_only_article(tech_family):
    """Hidden from the technicians (the article's flag)."""
    return ArticleFactory(family=tech_family, reference="ADM-1", label="Frais de dossier",
                          visible_to_technicians=False)


@pytest.fixture
def hidden_family_article(db):
    """Hidden from the technicians (the family's flag)."""
    family = ArticleFamilyFactory(code="INTERNE", name="Interne", visible_to_technicians=False)
    return ArticleFactory(family=family, reference="INT-1", label="Article interne")


@pytest.fixture
def chief(db):
    """A technician who sees every intervention."""
    return TechnicianProfileFactory(
        user=StaffFactory(email="chef@atelier-portal.fr", first_name="Marc",
                          last_name="Chef"),
        can_see_all_interventions=True,
    ).user


@pytest.fixture
def karim(db):
    """Another technician, limited to his own interventions."""
    return TechnicianProfileFactory(
        user=StaffFactory(email="karim@atelier-portal.fr", first_name="Karim",
                          last_name="Haddad"),
    ).user


@pytest.fixture
def intervention(dupond_site, boiler, julie):
    """Julie's intervention today on Dupond's boiler, planned, not started."""
    return InterventionFactory(site=dupond_site, equipment=boiler, contract=boiler.contract,
                               technicians=[julie], number="BI-2026-000101")


@pytest.fixture
def other_intervention(other_site, other_equipment, julie):
    return InterventionFactory(site=other_site, equipment=other_equipment,
                               technicians=[julie], number="BI-2026-000909")


# --- files -----------------------------------------------------------------------------------

def image_bytes(fmt: str = "JPEG", size=(64, 48), color=(200, 40, 40), exif=None) -> bytes:
    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).rectangle([4, 4, size[0] // 2, size[1] // 2], fill=(20, 20, 200))
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def signature_bytes(blank: bool = False) -> bytes:
    """A signature as signature_pad exports it: a PNG, transparent, with strokes."""
    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    if not blank:
        draw = ImageDraw.Draw(image)
        draw.line([(40, 150), (120, 40), (200, 160), (300, 50), (420, 140), (540, 60)],
                  fill=(20, 30, 60, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _pdf_bytes() -> bytes:
    """A real one-page PDF: uploads are parsed (pypdf), not only sniffed."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = _pdf_bytes()


@pytest.fixture
def files():
    """Upload builders: files.jpeg(), files.png(), files.pdf(), files.upload(name, bytes)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    class Files:
        image = staticmethod(image_bytes)
        signature = staticmethod(signature_bytes)
        pdf_bytes = PDF_BYTES

        @staticmethod
        def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
            return SimpleUploadedFile(name, content, content_type=content_type)

        def jpeg(self, name="photo.jpg", **kwargs):
            return self.upload(name, image_bytes("JPEG", **kwargs), "image/jpeg")

        def png(self, name="schema.png", **kwargs):
            return self.upload(name, image_bytes("PNG", **kwargs), "image/png")

        def pdf(self, name="notice.pdf"):
            return self.upload(name, PDF_BYTES, "application/pdf")

    return Files()
