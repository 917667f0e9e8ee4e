import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from portal_api.accounts.factories import PortalProfileFactory, UserFactory
from portal_api.accounts.models import PortalRole
from portal_api.billing.models import Invoice
from portal_api.billing.services import invoice_create_draft, invoice_issue
from portal_api.orders.models import Order, OrderStatus

LINES = [{"label": "Entretien chaudière", "quantity": "1", "unit_price_excl_tax": "180.00",
          "vat_rate": "20.00"}]


def make_orders(company, user, count, *, status=OrderStatus.SUBMITTED, prefix="CO-T",
                start=0) -> list[Order]:
    """`count` placed orders of the company, created one minute apart (the newest last),
    numbered prefix-00000…"""
    now = timezone.now()
    orders = Order.objects.bulk_create([
        Order(client_account=company, status=status, number=f"{prefix}-{start + i:05d}",
              prepared_by=user, submitted_by=user, submitted_at=now,
              customer_reference=f"REF-{start + i}", total_excl_tax=Decimal("100.00"),
              total_vat=Decimal("20.00"), total_incl_tax=Decimal("120.00"))
        for i in range(count)
    ])
    for i, order in enumerate(orders):  # auto_now_add ignores a value given at creation
        order.created_at = now - datetime.timedelta(minutes=count - i)
    Order.objects.bulk_update(orders, ["created_at"])
    return orders


def make_invoice(company, issue_date: datetime.date) -> Invoice:
    return invoice_issue(invoice=invoice_create_draft(client_account=company, lines=LINES),
                         issue_date=issue_date, render_pdf=False)


def xlsx_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def zip_names(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.namelist()


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def orders(dupond, dupond_company, other_manager, other_company):
    """Five placed and two delivered orders of Dupond's company, three of another company."""
    mine = make_orders(dupond_company, dupond, 5)
    mine += make_orders(dupond_company, dupond, 2, status=OrderStatus.DELIVERED, prefix="CO-L")
    make_orders(other_company, other_manager, 3, prefix="CO-X")
    return mine


@pytest.fixture
def colleague(dupond_company):
    """A manager of Dupond's company: every right, documents included."""
    return PortalProfileFactory(user=UserFactory(email="gestion@dupond-industrie.fr"),
                                client_account=dupond_company, role=PortalRole.MANAGER).user


@pytest.fixture
def invoices(dupond_company, other_company):
    return {
        "dec": make_invoice(dupond_company, datetime.date(2025, 12, 31)),
        "jan": make_invoice(dupond_company, datetime.date(2026, 1, 1)),
        "feb": make_invoice(dupond_company, datetime.date(2026, 2, 28)),
        "mar": make_invoice(dupond_company, datetime.date(2026, 3, 1)),
        "draft": invoice_create_draft(client_account=dupond_company, lines=LINES),
        "theirs": make_invoice(other_company, datetime.date(2026, 1, 15)),
    }
