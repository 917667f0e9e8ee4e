import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal_api.accounts.models import ClientAccount
from portal_api.common.errors import ServiceError
from portal_api.common.money import round_money, vat_amount
from portal_api.common.services import number_sequence_next
from portal_api.common.status import status_move, status_move_check

from .models import Contract, Invoice, InvoiceLine, InvoiceStatus

PAYMENT_TERM_DAYS = 30


@transaction.atomic
def invoice_create_draft(
    *, client_account: ClientAccount, lines: Iterable[dict], order=None, intervention=None
) -> Invoice:
    """A draft invoice; each line is a dict with label, quantity, unit_price_excl_tax,
    vat_rate and optionally article."""
    invoice = Invoice.objects.create(client_account=client_account, order=order,
                                     intervention=intervention)
    InvoiceLine.objects.bulk_create([
        InvoiceLine(
            invoice=invoice, position=i, article=line.get("article"), label=line["label"],
            quantity=Decimal(line["quantity"]),
            unit_price_excl_tax=Decimal(line["unit_price_excl_tax"]),
            vat_rate=Decimal(line["vat_rate"]),
            total_excl_tax=round_money(
                Decimal(line["quantity"]) * Decimal(line["unit_price_excl_tax"])
            ),
        )
        for i, line in enumerate(lines)
    ])
    _invoice_compute_totals(invoice)
    return invoice


def _invoice_compute_totals(invoice: Invoice) -> None:
    # VAT is computed per rate on the rate's base, as French invoices show it.
    bases: dict[Decimal, Decimal] = {}
    for line in invoice.lines.all():
        bases[line.vat_rate] = bases.get(line.vat_rate, Decimal(0)) + line.total_excl_tax
    invoice.total_excl_tax = round_money(sum(bases.values(), Decimal(0)))
    invoice.total_vat = sum((vat_amount(base, rate) for rate, base in bases.items()), Decimal(0))
    invoice.total_incl_tax = invoice.total_excl_tax + invoice.total_vat
    invoice.save(update_fields=["total_excl_tax", "total_vat", "total_incl_tax", "updated_at"])


@transaction.atomic
@status_move()
def invoice_issue(*, invoice: Invoice, issue_date: datetime.date | None = None,
                  payment_term_days: int = PAYMENT_TERM_DAYS,
                  render_pdf: bool = True) -> Invoice:
    """Give a draft invoice its number (FA-YYYY-NNNNN, gapless per year) and its dates.
    `render_pdf=False` (bulk imports, demo history) leaves the PDF to the first download,
    which renders and stores it."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != InvoiceStatus.DRAFT:
        raise ServiceError(_("Cette facture est déjà émise."), code="already_issued",
                           status_code=409)
    if not invoice.lines.exists():
        raise ServiceError(_("Une facture sans ligne ne peut pas être émise."), code="empty")
    issue_date = issue_date or timezone.localdate()
    sequence = number_sequence_next(name="invoice", year=issue_date.year)
    invoice.year = issue_date.year
    invoice.sequence = sequence
    invoice.number = f"FA-{issue_date.year}-{sequence:05d}"
    invoice.issue_date = issue_date
    invoice.due_date = issue_date + datetime.timedelta(days=payment_term_days)
    invoice.status = InvoiceStatus.ISSUED
    invoice.save()
    # The PDF is rendered in the background once the number is committed.
    from workflows.tasks.billing import invoice_render_pdf_task

    if render_pdf:
        invoice_render_pdf_task.delay_on_commit(invoice.pk)
    return invoice


@transaction.atomic
@status_move()
def invoice_mark_paid(*, invoice: Invoice, paid_at: datetime.date | None = None) -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status not in (InvoiceStatus.ISSUED, InvoiceStatus.OVERDUE):
        raise ServiceError(_("Seule une facture émise peut être réglée."), code="not_issued",
                           status_code=409)
    invoice.status = InvoiceStatus.PAID
    invoice.paid_at = paid_at or timezone.localdate()
    invoice.save(update_fields=["status", "paid_at", "updated_at"])
    return invoice


@transaction.atomic
@status_move()
def invoice_mark_overdue(*, today: datetime.date | None = None,
                         invoice: Invoice | None = None) -> int:
    """Issued invoices past their due date become overdue (only `invoice` when given);
    returns how many changed."""
    today = today or timezone.localdate()
    invoices = Invoice.objects.filter(status=InvoiceStatus.ISSUED, due_date__lt=today)
    if invoice is not None:
        invoices = invoices.filter(pk=invoice.pk)
    return invoices.update(status=InvoiceStatus.OVERDUE, updated_at=timezone.now())


@transaction.atomic
def invoice_set_status(*, invoice: Invoice, status: str, by, reason: str = "",
                       paid_at: datetime.date | None = None) -> Invoice:
    """Move an invoice to a status of its pipeline (Invoice.STATUS_MOVES) through that move's
    service: issuing (numbered, dated, PDF rendered), paid (on `paid_at`, today by default),
    overdue (only past its due date). A move not in the pipeline is a 409. An invoice keeps no
    reason: `reason` is not used."""
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    status_move_check(locked, status)
    if status == InvoiceStatus.ISSUED:
        return invoice_issue(invoice=locked)
    if status == InvoiceStatus.PAID:
        return invoice_mark_paid(invoice=locked, paid_at=paid_at)
    if not invoice_mark_overdue(invoice=locked):
        raise ServiceError(
            _("L'échéance de la facture %(number)s (%(due)s) n'est pas passée.") % {
                "number": locked.number, "due": locked.due_date.strftime("%d/%m/%Y")},
            code="not_due", status_code=409,
        )
    locked.refresh_from_db()
    return locked


@transaction.atomic
def contract_create(
    *, client_account: ClientAccount, number: str, title: str, start_date: datetime.date,
    end_date: datetime.date, annual_amount_excl_tax: Decimal = Decimal(0),
    visits_per_year: int = 1,
) -> Contract:
    contract = Contract(client_account=client_account, number=number, title=title,
                        start_date=start_date, end_date=end_date,
                        annual_amount_excl_tax=annual_amount_excl_tax,
                        visits_per_year=visits_per_year)
    contract.full_clean()
    contract.save()
    from workflows.tasks.billing import contract_render_pdf_task

    # The contract's PDF, in the client's documents.
    contract_render_pdf_task.delay_on_commit(contract.pk)
    return contract


def invoice_render_pdf(*, invoice: Invoice) -> bytes:
    """The invoice as a PDF (pure rendering, nothing stored)."""
    from django.conf import settings
    from django.utils import translation

    from cms.selectors import pdf_seller
    from workflows.renderers import render_pdf

    from .selectors import invoice_pdf_context

    # An invoice is a French legal document, whoever asks for it.
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(template="pdf/invoice.html",
                          context=invoice_pdf_context(invoice=invoice, seller=pdf_seller()))


def invoice_pdf_ensure(*, invoice: Invoice, replace: bool = False):
    """The invoice's stored PDF (a GED Document), rendered and stored if it has none yet.
    Safe to run twice, or concurrently: the invoice row is locked while the document is
    attached, so one invoice never gets two PDFs. `replace` renders it again when the stored
    file went missing. Draft invoices are never stored (clients would see them)."""
    from portal_api.documents.models import Document, DocumentKind
    from portal_api.documents.services import document_create

    current = Invoice.objects.filter(pk=invoice.pk).values_list("pdf_id", "status").first()
    if current is None:
        raise Invoice.DoesNotExist
    pdf_id, status = current
    if status == InvoiceStatus.DRAFT:
        raise ServiceError(_("Une facture brouillon n'a pas de PDF."), code="draft",
                           status_code=409)
    if pdf_id and not replace:
        return Document.objects.get(pk=pdf_id)
    # Rendering takes a while: done before taking the lock.
    content = invoice_render_pdf(invoice=invoice)
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().select_related("client_account").get(
            pk=invoice.pk)
        if locked.pdf_id and (not replace or locked.pdf_id != pdf_id):
            return Document.objects.get(pk=locked.pdf_id)
        document = document_create(
            title=f"Facture {locked.number}",
            filename=f"{locked.number}.pdf", content=content, kind=DocumentKind.INVOICE,
            client_account=locked.client_account, related_object=locked,
            content_type="application/pdf", document_date=locked.issue_date,
        )
        if replace and locked.pdf_id:
            Document.objects.filter(pk=locked.pdf_id).delete()
        locked.pdf = document
        locked.save(update_fields=["pdf", "updated_at"])
    invoice.pdf = document
    return document


def contract_render_pdf(*, contract: Contract) -> bytes:
    """A maintenance contract as a PDF (pure rendering, nothing stored)."""
    from django.conf import settings
    from django.utils import translation

    from workflows.renderers import render_pdf

    from .selectors import contract_pdf_context

    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(template="pdf/contract.html",
                          context=contract_pdf_context(contract=contract))


def contract_pdf_ensure(*, contract: Contract, replace: bool = False):
    """The contract's stored PDF (a GED document of the client, related to the contract,
    dated its start), rendered and stored if it has none yet. Safe to run twice or
    concurrently; `replace` renders it again (after its terms or equipment changed)."""
    from django.conf import settings
    from django.utils import translation

    from portal_api.documents.models import DocumentKind
    from portal_api.documents.services import source_pdf_ensure

    contract = Contract.objects.select_related("client_account").get(pk=contract.pk)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Contrat %(number)s – %(title)s") % {"number": contract.number,
                                                        "title": contract.title}
    return source_pdf_ensure(
        source=contract, kind=DocumentKind.CONTRACT,
        render=lambda: contract_render_pdf(contract=contract), title=title,
        filename=f"{contract.number}.pdf", client_account=contract.client_account,
        document_date=contract.start_date, replace=replace,
    )
