from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from portal_api.accounts import roles
from portal_api.accounts.models import User
from portal_api.accounts.rules import is_staff_member
from portal_api.accounts.selectors import scope_to_client
from portal_api.common.money import round_money, vat_amount

from .models import Contract, Invoice, InvoiceStatus

# Statuses still waiting for a payment.
UNPAID_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.OVERDUE)


def invoice_list(*, user: User) -> QuerySet[Invoice]:
    qs = scope_to_client(Invoice.objects.select_related("client_account"), user=user,
                         area=roles.INVOICES)
    if not is_staff_member(user):
        qs = qs.exclude(status=InvoiceStatus.DRAFT)
    return qs


def invoice_detail_list(*, user: User) -> QuerySet[Invoice]:
    """The invoices of invoice_list with their lines (one more query, whatever their number)."""
    return invoice_list(user=user).prefetch_related("lines__article")


def invoice_totals(*, invoices: QuerySet[Invoice]) -> dict:
    """Totals of a (filtered) list of invoices, in one aggregate query."""
    zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=16, decimal_places=2))

    def total(field: str, **extra):
        return Coalesce(Sum(field, **extra), zero)

    # Aliases apart from the field names: Django refuses an aggregate named like a field.
    sums = invoices.order_by().aggregate(
        sum_count=Count("id"),
        sum_excl_tax=total("total_excl_tax"),
        sum_vat=total("total_vat"),
        sum_incl_tax=total("total_incl_tax"),
        sum_due=total("total_incl_tax", filter=Q(status__in=UNPAID_STATUSES)),
    )
    return {
        "count": sums["sum_count"],
        "total_excl_tax": round_money(sums["sum_excl_tax"]),
        "total_vat": round_money(sums["sum_vat"]),
        "total_incl_tax": round_money(sums["sum_incl_tax"]),
        "amount_due": round_money(sums["sum_due"]),
    }


def contract_list(*, user: User) -> QuerySet[Contract]:
    return scope_to_client(Contract.objects.select_related("client_account"), user=user,
                           area=roles.CONTRACTS)


def invoice_vat_breakdown(*, invoice: Invoice) -> list[dict]:
    """VAT per rate, as French invoices show it: [{rate, base, vat}], highest rate first."""
    bases: dict[Decimal, Decimal] = {}
    for line in invoice.lines.all():
        bases[line.vat_rate] = bases.get(line.vat_rate, Decimal(0)) + line.total_excl_tax
    return [
        {"rate": rate, "base": base, "vat": vat_amount(base, rate)}
        for rate, base in sorted(bases.items(), reverse=True)
    ]


def invoice_pdf_context(*, invoice: Invoice, seller: dict) -> dict:
    """Everything the invoice PDF shows: the seller (its identity and terms, as the caller
    read them: cms.selectors.pdf_seller), the buyer, the dates, the lines, VAT by rate and
    the totals."""
    invoice = (
        Invoice.objects.select_related("client_account", "order", "intervention")
        .prefetch_related("lines__article")
        .get(pk=invoice.pk)
    )
    term_days = None
    if invoice.issue_date and invoice.due_date:
        term_days = (invoice.due_date - invoice.issue_date).days
    return {
        "invoice": invoice,
        "client": invoice.client_account,
        "lines": list(invoice.lines.all()),
        "vat_breakdown": invoice_vat_breakdown(invoice=invoice),
        "is_draft": invoice.status == InvoiceStatus.DRAFT,
        "supply_date": invoice_supply_date(invoice=invoice),
        "payment_term_days": term_days,
        "seller": seller,
    }


def invoice_supply_date(*, invoice: Invoice):
    """The date of the sale or the service (a legal mention of the invoice): the order's
    delivery, else the intervention's end, else the invoice's own date."""
    from django.utils import timezone

    moment = ((invoice.order.delivered_at if invoice.order else None)
              or (invoice.intervention.end_at if invoice.intervention else None))
    return timezone.localdate(moment) if moment else invoice.issue_date


def contract_pdf_context(*, contract: Contract) -> dict:
    """Everything a maintenance contract's PDF shows: the parties, the term, the price, the
    visits and the covered equipment with its site."""
    from cms.selectors import pdf_seller

    contract = Contract.objects.select_related("client_account").get(pk=contract.pk)
    equipment = list(contract.equipment.select_related("site")
                     .order_by("site__name", "serial_number"))
    return {"contract": contract, "client": contract.client_account, "equipment": equipment,
            "seller": pdf_seller()}
