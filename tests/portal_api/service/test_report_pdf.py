"""The signed report (bon d'intervention): a branded PDF with the signature, stored once."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from portal_api.common.errors import ServiceError
from portal_api.documents.models import Document, DocumentKind
from portal_api.service.services import (
    intervention_line_add,
    intervention_report_ensure,
    intervention_sheet_update,
    intervention_sign,
)


def at(hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(),
                                                         datetime.time(hour, minute)))


@pytest.fixture
def signed(intervention, julie, part, files):
    intervention_sheet_update(
        intervention=intervention, by=julie, departure_at=at(7, 30), arrival_at=at(8),
        end_at=at(9, 45), return_at=at(10, 15), meter_reading=Decimal("48210"),
        work_done="Remplacement de l'électrode d'allumage et contrôle de combustion.",
    )
    intervention_line_add(intervention=intervention, article=part, quantity=1)
    return intervention_sign(intervention=intervention, by=julie, signer_name="Paul Martin",
                             signature_png=files.signature())


def pdf_text(document: Document) -> tuple[str, PdfReader]:
    with document.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_report_holds_number_work_done_signer_and_signature(signed, boiler):
    document = intervention_report_ensure(intervention=signed)
    assert document.kind == DocumentKind.INTERVENTION_REPORT
    assert document.client_account == signed.client_account
    assert document.related_object == signed and document.content_type == "application/pdf"
    signed.refresh_from_db()
    assert signed.report == document
    text, reader = pdf_text(document)
    flat = " ".join(text.split())
    assert signed.number in flat
    assert "Remplacement de l'électrode d'allumage" in flat
    assert "Paul Martin" in flat
    assert "Dupond Industrie" in flat and boiler.serial_number in flat
    assert "Circulateur 25-60" in flat and "189,00 €" in flat
    assert "08:00" in flat and "09:45" in flat and "1 h 45" in flat
    # The signature is embedded as an image.
    assert any(page.images for page in reader.pages)


def test_stored_once(signed):
    first = intervention_report_ensure(intervention=signed)
    again = intervention_report_ensure(intervention=signed)
    assert again.pk == first.pk
    assert Document.objects.filter(kind=DocumentKind.INTERVENTION_REPORT).count() == 1


def test_replace_renders_again_and_drops_the_old_one(signed):
    first = intervention_report_ensure(intervention=signed)
    second = intervention_report_ensure(intervention=signed, replace=True)
    assert second.pk != first.pk
    assert list(Document.objects.filter(kind=DocumentKind.INTERVENTION_REPORT)) == [second]


def test_no_report_before_signature(intervention):
    with pytest.raises(ServiceError) as exc:
        intervention_report_ensure(intervention=intervention)
    assert exc.value.status_code == 409
    assert not Document.objects.exists()


def test_the_client_sees_it_among_his_documents(signed, martin, other_manager):
    from portal_api.documents.selectors import company_document_list

    document = intervention_report_ensure(intervention=signed)
    assert document in company_document_list(user=martin)
    assert document not in company_document_list(user=other_manager)


def _pages(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def test_the_signature_is_never_alone_on_its_page(signed):
    """Whatever the length of the work done, the signature shares its page with the last
    section (the lines and their total) that precedes it."""
    from portal_api.service.models import Intervention
    from portal_api.service.services import intervention_render_report

    page_counts = set()
    for extra_lines in range(2, 12, 2):
        work_done = "\n".join(f"Étape {n} : contrôle et réglage." for n in range(extra_lines))
        Intervention.objects.filter(pk=signed.pk).update(work_done=work_done or "Réglage.")
        pages = _pages(intervention_render_report(intervention=signed))
        page_counts.add(len(pages))
        [page] = [text for text in pages if "SIGNATURE DU CLIENT" in text.upper()]
        before = page[:page.upper().index("SIGNATURE DU CLIENT")]
        assert "Fournitures et main-d'œuvre" in before and "Total HT" in before, extra_lines
    assert page_counts == {1, 2}  # the page break was crossed


def test_without_lines_the_last_section_is_the_work_done_or_the_comments(signed):
    from portal_api.service.models import Intervention
    from portal_api.service.services import intervention_render_report

    signed.lines.all().delete()
    Intervention.objects.filter(pk=signed.pk).update(comments="Prévoir un détartrage.")
    [text] = _pages(intervention_render_report(intervention=signed))
    assert "Fournitures" not in text
    assert (text.index("Travaux réalisés") < text.index("Commentaires")
            < text.upper().index("SIGNATURE DU CLIENT"))
    assert text.count("Commentaires") == 1 and text.count("Travaux réalisés") == 1
