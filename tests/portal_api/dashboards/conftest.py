"""A small hand-counted dataset for the dashboards, around two fixed moments:

- clients: NOW = Sunday 15 November 2026, 10:00 in Paris; the charts cover December 2025 to
  November 2026;
- LivePilot: MONDAY = Monday 16 November 2026, 00:30 in Paris (Sunday 23:30 UTC): the week
  runs from Monday 16 to Sunday 22 November.

Every figure the tests expect is written next to the rows that make it. Another company gets
rows of every kind, none of which may show.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from portal_api.accounts.factories import PortalProfileFactory, SiteFactory, UserFactory
from portal_api.accounts.models import PortalRole
from portal_api.billing.factories import ContractFactory
from portal_api.billing.models import Invoice
from portal_api.common.status import status_move
from portal_api.documents.models import Document
from portal_api.orders.models import Order
from portal_api.service.factories import (
    EquipmentFactory,
    ExpenseFactory,
    InterventionFactory,
    TicketEventFactory,
    TicketFactory,
    TimeEntryFactory,
)
from portal_api.service.models import TicketEvent, TimeEntryKind

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 15, 10, 0, tzinfo=PARIS)
MONDAY = datetime.datetime(2026, 11, 15, 23, 30, tzinfo=UTC)  # Monday 16, 00:30 in Paris


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


_numbers = iter(range(1, 10_000))


def order(company, status, total="0", *, submitted_at=None, **extra) -> Order:
    placed = status != "draft"
    n = next(_numbers)
    with status_move():  # test data in any status
        return Order.objects.create(
            client_account=company, status=status, total_incl_tax=Decimal(total),
            number=f"CO-T-{n:05d}" if placed else None,
            submitted_at=(submitted_at or paris(2026, 11, 1, 9)) if placed else None, **extra,
        )


def invoice(company, status, *, ttc, ht, issue=None, due=None, paid=None) -> Invoice:
    n = next(_numbers)
    if status == "draft":
        return Invoice.objects.create(client_account=company, total_incl_tax=Decimal(ttc),
                                      total_excl_tax=Decimal(ht))
    with status_move():  # test data in any status
        return Invoice.objects.create(
            client_account=company, status=status, number=f"FA-T-{n:05d}", year=issue.year,
            sequence=n, issue_date=issue, due_date=due or issue + datetime.timedelta(days=30),
            paid_at=paid, total_incl_tax=Decimal(ttc), total_excl_tax=Decimal(ht),
            total_vat=Decimal(ttc) - Decimal(ht),
        )


def document(company, title, kind, at) -> Document:
    doc = Document.objects.create(title=title, kind=kind, client_account=company,
                                  file=f"ged/test/{title}.pdf", content_type="application/pdf")
    Document.objects.filter(pk=doc.pk).update(created_at=at)
    return doc


@pytest.fixture
def manager(dupond_company):
    """Dupond Industrie's manager: every right, so every client tile."""
    return PortalProfileFactory(
        user=UserFactory(email="gestion@dupond-industrie.fr"), client_account=dupond_company,
        role=PortalRole.MANAGER,
    ).user


@pytest.fixture
def client_data(dupond_company, other_company):
    """Dupond's figures at NOW (hand-counted):

    orders: drafts 2; placed not delivered 2 for 200.50 TTC.
    requests: open 3, urgent 2.
    interventions: next planned: 16/11 09:00 then 20/11 14:00; done this month 2.
    invoices: due 3 for 600.00; overdue 2 for 500.00 (one by status, one issued past its due
    date); paid this year 1 for 400.00.
    equipment: 5 in service; warranties ending within 60 days 2 (first 15/11/2026).
    contracts ending within 90 days: 2 (first 15/11/2026).
    spend (HT by month of issue): 2025-12 750.00, 2026-08 250.00, 2026-10 166.67,
    2026-11 83.33, other months 0.
    interventions done per month: 2025-12 billed 1; 2026-10 billed 1;
    2026-11 under contract 1 + billed 1.
    """
    d, o = dupond_company, other_company
    site = SiteFactory(client_account=d, name="Usine de Lyon", city="Lyon")
    other_site = SiteFactory(client_account=o, name="Site d'un autre")

    # Orders.
    order(d, "draft")
    order(d, "draft")
    order(d, "submitted", "120.00")
    order(d, "confirmed", "80.50", confirmed_at=paris(2026, 11, 2, 9))
    order(d, "delivered", "999.00", delivered_at=paris(2026, 11, 3, 9))
    order(d, "cancelled", "50.00", cancelled_at=paris(2026, 11, 4, 9))
    order(d, "invoiced", "75.00")
    order(o, "draft")
    order(o, "submitted", "5000.00")

    # Requests.
    for status, urgent in [("received", True), ("in_progress", False), ("planned", True),
                           ("done", True), ("closed", False)]:
        TicketFactory(site=site, status=status, urgent=urgent)
    TicketFactory(site=other_site, status="received", urgent=True)

    # Contracts: the 90-day window is 15/11/2026 – 13/02/2027.
    start = datetime.date(2026, 1, 1)
    contract = ContractFactory(client_account=d, number="CT-END-TODAY", start_date=start,
                               end_date=datetime.date(2026, 11, 15))
    ContractFactory(client_account=d, number="CT-END-90", start_date=start,
                    end_date=datetime.date(2027, 2, 13))
    ContractFactory(client_account=d, number="CT-END-91", start_date=start,
                    end_date=datetime.date(2027, 2, 14))
    ContractFactory(client_account=d, number="CT-ENDED", start_date=start,
                    end_date=datetime.date(2026, 11, 14))
    ContractFactory(client_account=d, number="CT-INACTIVE", start_date=start,
                    end_date=datetime.date(2026, 12, 1), active=False)
    ContractFactory(client_account=o, number="CT-OTHER", start_date=start,
                    end_date=datetime.date(2026, 12, 1))

    # Interventions.
    def intervention(status, planned_start, **extra):
        return InterventionFactory(site=site, status=status, planned_start=planned_start,
                                   **extra)

    intervention("planned", paris(2026, 11, 16, 9))
    intervention("planned", paris(2026, 11, 20, 14))
    intervention("planned", paris(2026, 11, 25, 8))
    intervention("planned", paris(2026, 11, 14, 9))  # yesterday: not "next"
    # Ended 31/10 23:30 UTC = 1/11 00:30 in Paris: November.
    intervention("done", utc(2026, 10, 31, 20), arrival_at=utc(2026, 10, 31, 21),
                 end_at=utc(2026, 10, 31, 23, 30), contract=contract)
    # Ended 31/10 22:30 UTC = 23:30 in Paris: October.
    intervention("done", utc(2026, 10, 31, 20), arrival_at=utc(2026, 10, 31, 21),
                 end_at=utc(2026, 10, 31, 22, 30))
    intervention("closed", paris(2026, 11, 3, 9))  # no end: its planned start counts
    intervention("cancelled", paris(2026, 11, 5, 9))
    # 30/11/2025 23:30 UTC = 1/12 00:30 in Paris: the first month of the charts.
    intervention("done", utc(2025, 11, 30, 20), end_at=utc(2025, 11, 30, 23, 30))
    # 30/11/2025 22:30 UTC = 23:30 in Paris: before the charts' first month.
    intervention("done", utc(2025, 11, 30, 20), end_at=utc(2025, 11, 30, 22, 30))
    InterventionFactory(site=other_site, status="done", planned_start=paris(2026, 11, 2, 9),
                        end_at=paris(2026, 11, 2, 11))
    InterventionFactory(site=other_site, status="planned", planned_start=paris(2026, 11, 16, 8))

    # Invoices (today is 15/11/2026).
    invoice(d, "issued", ttc="100.00", ht="83.33", issue=datetime.date(2026, 11, 1),
            due=datetime.date(2026, 11, 30))
    invoice(d, "issued", ttc="200.00", ht="166.67", issue=datetime.date(2026, 10, 11),
            due=datetime.date(2026, 11, 10))
    invoice(d, "overdue", ttc="300.00", ht="250.00", issue=datetime.date(2026, 8, 31),
            due=datetime.date(2026, 9, 30))
    invoice(d, "paid", ttc="400.00", ht="333.33", issue=datetime.date(2025, 12, 15),
            paid=datetime.date(2026, 1, 1))
    invoice(d, "paid", ttc="500.00", ht="416.67", issue=datetime.date(2025, 12, 1),
            paid=datetime.date(2025, 12, 31))
    invoice(d, "paid", ttc="60.00", ht="50.00", issue=datetime.date(2025, 11, 30),
            paid=datetime.date(2025, 12, 20))  # issued before the charts' first month
    invoice(d, "draft", ttc="1000.00", ht="833.33")
    invoice(o, "issued", ttc="9999.00", ht="8332.50", issue=datetime.date(2026, 11, 2))
    invoice(o, "overdue", ttc="8888.00", ht="7406.67", issue=datetime.date(2026, 8, 2))

    # Equipment: the 60-day window is 15/11/2026 – 14/01/2027.
    for warranty_end, active in [(datetime.date(2026, 11, 15), True),
                                 (datetime.date(2027, 1, 14), True),
                                 (datetime.date(2027, 1, 15), True),
                                 (datetime.date(2026, 11, 14), True),
                                 (None, True),
                                 (datetime.date(2026, 12, 1), False)]:
        EquipmentFactory(site=site, warranty_end=warranty_end, active=active)
    EquipmentFactory(site=other_site, warranty_end=datetime.date(2026, 12, 1))

    return {"site": site, "other_site": other_site, "contract": contract}


@pytest.fixture
def feed_data(dupond_company, other_company, client_data):
    """The latest news of each kind at Dupond's (and newer ones at the other company's)."""
    d, o = dupond_company, other_company
    document(d, "Contrat 2026", "contract", paris(2026, 11, 14, 16))
    document(d, "Export perso", "export", paris(2026, 11, 15, 9))  # exports: not news
    document(o, "Secret", "contract", paris(2026, 11, 15, 9, 30))
    ticket = TicketFactory(site=client_data["site"], number="DI-FEED-1", urgent=True)
    TicketEventFactory(ticket=ticket, status="received")
    TicketEvent.objects.filter(ticket=ticket).update(created_at=paris(2026, 11, 15, 8))
    other_ticket = TicketFactory(site=client_data["other_site"], number="DI-OTHER-1")
    TicketEventFactory(ticket=other_ticket, status="received")
    TicketEvent.objects.filter(ticket=other_ticket).update(created_at=paris(2026, 11, 15, 9))
    order(d, "delivered", "10.00", submitted_at=paris(2026, 11, 10, 9),
          delivered_at=paris(2026, 11, 15, 7))
    order(o, "delivered", "10.00", submitted_at=paris(2026, 11, 15, 9),
          delivered_at=paris(2026, 11, 15, 9, 45))
    return ticket


@pytest.fixture
def technician_data(julie):
    """Julie's figures at MONDAY (hand-counted):

    today 1 (A); this week 2 (A, C); sheets to sign 1 (F); done over the 12 months 5 (G, H,
    I, K, L: 2026-11 3, 2026-10 1, 2026-09 1); average time on site 60 min (90, 30, 60, 60;
    L has no end); repeat visits 1 of 5 (G: she visited the same equipment 16 days before,
    H; not K: the visit 11 days before was Thomas's, J; not H: I was 49 days before); hours
    this week 3.50 (work 2.50, travel 1.00); expenses this month 20.00 (2 notes).
    """
    from portal_api.accounts.factories import StaffFactory, TechnicianProfileFactory

    thomas = TechnicianProfileFactory(user=StaffFactory(email="thomas@atelier-portal.fr")).user
    site = SiteFactory(client_account__code="CLINPARC", name="Clinique du Parc")
    boiler = EquipmentFactory(site=site)
    pump = EquipmentFactory(site=site)

    def mine(status, planned_start, **extra):
        return InterventionFactory(site=site, status=status, planned_start=planned_start,
                                   technicians=[julie], **extra)

    a = mine("planned", utc(2026, 11, 15, 23, 15))  # Monday 00:15 in Paris: today
    mine("planned", utc(2026, 11, 15, 22, 30))  # Sunday 23:30 in Paris: last week
    mine("planned", utc(2026, 11, 22, 22, 30))  # Sunday 22, 23:30 in Paris: this week
    mine("planned", utc(2026, 11, 22, 23, 30))  # Monday 23, 00:30 in Paris: next week
    mine("cancelled", paris(2026, 11, 16, 8))
    f = mine("in_progress", utc(2026, 11, 10, 7), arrival_at=utc(2026, 11, 10, 8))
    # L: closed (done, no end time), so not waiting for a signature.
    mine("closed", utc(2026, 11, 9, 7), arrival_at=utc(2026, 11, 9, 8))
    signed = {"signed_at": utc(2026, 11, 1), "signer_name": "M. Martin"}
    mine("done", utc(2026, 9, 1, 7), arrival_at=utc(2026, 9, 1, 8), end_at=utc(2026, 9, 1, 9),
         equipment=boiler, **signed)  # I
    mine("done", utc(2026, 10, 20, 7), arrival_at=utc(2026, 10, 20, 8),
         end_at=utc(2026, 10, 20, 8, 30), equipment=boiler, **signed)  # H (49 days after I)
    mine("done", utc(2026, 11, 5, 7), arrival_at=utc(2026, 11, 5, 8),
         end_at=utc(2026, 11, 5, 9, 30), equipment=boiler, **signed)  # G (16 days after H)
    InterventionFactory(site=site, status="done", planned_start=utc(2026, 11, 1, 7),
                        arrival_at=utc(2026, 11, 1, 8), end_at=utc(2026, 11, 1, 9),
                        equipment=pump, technicians=[thomas])  # J, Thomas's
    mine("done", utc(2026, 11, 12, 7), arrival_at=utc(2026, 11, 12, 8),
         end_at=utc(2026, 11, 12, 9), equipment=pump, **signed)  # K (11 days after J)
    # Thomas's today: not Julie's.
    InterventionFactory(site=site, status="planned", planned_start=paris(2026, 11, 16, 10),
                        technicians=[thomas])

    TimeEntryFactory(intervention=a, technician=julie, date=datetime.date(2026, 11, 16),
                     hours=Decimal("2.5"))
    TimeEntryFactory(intervention=a, technician=julie, date=datetime.date(2026, 11, 22),
                     hours=Decimal("1"), kind=TimeEntryKind.TRAVEL)
    TimeEntryFactory(intervention=f, technician=julie, date=datetime.date(2026, 11, 15),
                     hours=Decimal("4"))  # last week
    TimeEntryFactory(intervention=a, technician=thomas, date=datetime.date(2026, 11, 17),
                     hours=Decimal("3"))
    ExpenseFactory(intervention=f, technician=julie, date=datetime.date(2026, 11, 1),
                   amount=Decimal("12.50"))
    ExpenseFactory(intervention=f, technician=julie, date=datetime.date(2026, 11, 30),
                   amount=Decimal("7.50"))
    ExpenseFactory(intervention=f, technician=julie, date=datetime.date(2026, 10, 31),
                   amount=Decimal("100"))
    ExpenseFactory(intervention=f, technician=thomas, date=datetime.date(2026, 11, 5),
                   amount=Decimal("50"))
    return {"today": a, "thomas": thomas}
