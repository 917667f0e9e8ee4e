"""Statuses move through the services only (portal_api/common/status.py): each workflow model
declares its pipeline once; a status written outside a service's status move — saved, created
or updated in bulk — is refused, and so is a move the pipeline does not have; no code of the
project (tests aside) writes a status outside a services module."""

import ast
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from portal_api.accounts.factories import SiteFactory
from portal_api.billing.models import Invoice, InvoiceStatus
from portal_api.billing.services import invoice_create_draft, invoice_issue
from portal_api.catalog.factories import ArticleFactory
from portal_api.common.status import StatusGuardError, status_move
from portal_api.orders.models import Order, OrderStatus
from portal_api.orders.services import order_confirm, order_create_draft, order_submit
from portal_api.service.factories import InterventionFactory, TicketFactory
from portal_api.service.models import (
    Intervention,
    InterventionStatus,
    Ticket,
    TicketStatus,
)
from portal_api.service.services import intervention_cancel, ticket_create

WORKFLOWS = [(Order, OrderStatus), (Invoice, InvoiceStatus), (Ticket, TicketStatus),
             (Intervention, InterventionStatus)]


@pytest.mark.parametrize("model, statuses", WORKFLOWS, ids=lambda v: getattr(v, "__name__", ""))
def test_each_pipeline_names_every_status_once(model, statuses):
    assert set(model.STATUS_MOVES) == set(statuses.values)
    for source, targets in model.STATUS_MOVES.items():
        assert isinstance(targets, frozenset)
        assert targets <= set(statuses.values), source
        assert source not in targets
    # Every status but the initial one is reached by some move.
    reached = set().union(*model.STATUS_MOVES.values())
    assert reached == set(statuses.values) - {model.initial_status()}


def test_terminal_statuses_go_nowhere():
    assert Order.STATUS_MOVES[OrderStatus.CANCELLED] == frozenset()
    assert Order.STATUS_MOVES[OrderStatus.INVOICED] == frozenset()
    assert Invoice.STATUS_MOVES[InvoiceStatus.PAID] == frozenset()
    assert Ticket.STATUS_MOVES[TicketStatus.CLOSED] == frozenset()
    assert Intervention.STATUS_MOVES[InterventionStatus.CLOSED] == frozenset()
    assert Intervention.STATUS_MOVES[InterventionStatus.CANCELLED] == frozenset()


# --- the guard -------------------------------------------------------------------------------


@pytest.fixture
def order(dupond, dupond_company):
    article = ArticleFactory(stock_on_hand=Decimal("10"))
    draft = order_create_draft(client_account=dupond_company, prepared_by=dupond,
                               lines=[(article, Decimal("1"))])
    return order_submit(order=draft, submitted_by=dupond)


@pytest.fixture
def invoice(dupond_company):
    return invoice_create_draft(client_account=dupond_company, lines=[
        {"label": "Forfait", "quantity": "1", "unit_price_excl_tax": "100", "vat_rate": "20"}])


@pytest.fixture
def dupond_site(dupond_company):
    return SiteFactory(client_account=dupond_company)


@pytest.fixture
def ticket(dupond_company, martin):
    return ticket_create(client_account=dupond_company, requester=martin,
                         description="Fuite sous la chaudière.")


@pytest.mark.django_db
class TestGuard:
    def test_saving_a_changed_status_is_refused(self, order, invoice, ticket):
        intervention = InterventionFactory()
        for obj, status in ((order, OrderStatus.CONFIRMED), (invoice, InvoiceStatus.ISSUED),
                            (ticket, TicketStatus.CLOSED),
                            (intervention, InterventionStatus.CANCELLED)):
            before = type(obj).objects.get(pk=obj.pk).status
            obj.status = status
            with pytest.raises(StatusGuardError):
                obj.save()
            with pytest.raises(StatusGuardError):
                obj.save(update_fields=["status", "updated_at"])
            assert type(obj).objects.get(pk=obj.pk).status == before

    def test_a_fresh_copy_from_the_database_is_refused_too(self, order):
        copy = Order.objects.get(pk=order.pk)
        copy.status = OrderStatus.DELIVERED
        with pytest.raises(StatusGuardError):
            copy.save()

    def test_other_fields_save_freely(self, order, ticket):
        order.customer_reference = "REF-2"
        order.save()
        order.save(update_fields=["customer_reference", "updated_at"])
        ticket.urgent = True
        ticket.save()
        # A status changed in memory but not written is no write.
        ticket.status = TicketStatus.CLOSED
        ticket.save(update_fields=["urgent"])
        assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.RECEIVED

    def test_creating_in_another_status_than_the_initial_one_is_refused(self, dupond_company,
                                                                        dupond_site):
        with pytest.raises(StatusGuardError):
            Order.objects.create(client_account=dupond_company, status=OrderStatus.SUBMITTED,
                                 number="CO-X-1", submitted_at=datetime.datetime.now(
                                     datetime.UTC))
        with pytest.raises(StatusGuardError):
            Ticket.objects.create(number="DI-X-1", client_account=dupond_company,
                                  description="x", status=TicketStatus.CLOSED)
        with pytest.raises(StatusGuardError):
            Intervention.objects.create(number="BI-X-1", client_account=dupond_company,
                                        site=dupond_site, status=InterventionStatus.DONE)
        # The initial status is fine.
        Intervention.objects.create(number="BI-X-2", client_account=dupond_company,
                                    site=dupond_site)
        assert not Order.objects.exists()

    def test_update_of_the_status_is_refused(self, order, invoice, ticket):
        for model, obj, status in ((Order, order, OrderStatus.CONFIRMED),
                                   (Invoice, invoice, InvoiceStatus.PAID),
                                   (Ticket, ticket, TicketStatus.CLOSED)):
            with pytest.raises(StatusGuardError):
                model.objects.filter(pk=obj.pk).update(status=status)
        with pytest.raises(StatusGuardError):
            Ticket.objects.all().update(status=TicketStatus.CLOSED)
        ticket.status = TicketStatus.CLOSED
        # (bulk_update's own transaction is no savepoint: the test gives it one.)
        with pytest.raises(StatusGuardError), transaction.atomic():
            Ticket.objects.bulk_update([ticket], ["status"])
        # Through a relation too.
        with pytest.raises(StatusGuardError):
            ticket.client_account.tickets.update(status=TicketStatus.CLOSED)
        assert Order.objects.get(pk=order.pk).status == OrderStatus.SUBMITTED
        assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.RECEIVED
        # Other fields update freely.
        Ticket.objects.filter(pk=ticket.pk).update(urgent=True)

    def test_inside_a_move_only_the_pipeline_moves_pass(self, order, ticket):
        with status_move():
            order.status = OrderStatus.DELIVERED  # submitted → delivered: not a move
            with pytest.raises(StatusGuardError):
                order.save()
            with pytest.raises(StatusGuardError):
                Order.objects.filter(pk=order.pk).update(status=OrderStatus.INVOICED)
            ticket.status = TicketStatus.IN_PROGRESS
            ticket.save()
        assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.IN_PROGRESS
        assert Order.objects.get(pk=order.pk).status == OrderStatus.SUBMITTED

    def test_the_move_ends_with_its_context(self, ticket):
        with status_move():
            pass
        ticket.status = TicketStatus.CLOSED
        with pytest.raises(StatusGuardError):
            ticket.save()

    def test_the_services_pass_and_their_callers_keep_saving(self, order, dupond_company,
                                                             dupond_site, dispatcher):
        confirmed = order_confirm(order=order)
        confirmed.comment = "Livraison le matin."
        confirmed.save()
        # The caller's instance, refreshed after a service moved it, saves again.
        order.refresh_from_db()
        order.save()
        assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED

        intervention = InterventionFactory(client_account=dupond_company, site=dupond_site)
        intervention_cancel(intervention=intervention, by=dispatcher, reason="Doublon")
        intervention.description = "Doublon de BI-1"
        intervention.save()  # the service refreshed it: no status change to refuse
        assert Intervention.objects.get(pk=intervention.pk).status == "cancelled"

    def test_factories_build_test_data_in_any_status(self):
        assert TicketFactory(status=TicketStatus.CLOSED).status == TicketStatus.CLOSED
        assert InterventionFactory(status=InterventionStatus.DONE).status == "done"

    def test_an_issued_invoice_is_moved_by_its_service_only(self, invoice):
        issued = invoice_issue(invoice=invoice)
        assert issued.status == InvoiceStatus.ISSUED
        issued.status = InvoiceStatus.DRAFT
        with pytest.raises(StatusGuardError):
            issued.save()


# --- no status written outside the services ----------------------------------------------------

def _status_writes(tree: ast.AST) -> list[int]:
    """Lines that write a `status` attribute or call `.update(status=…)` / `.bulk_update(…,
    ["status"])` / `setattr(…, "status", …)`."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for part in ast.walk(target):
                    if isinstance(part, ast.Attribute) and part.attr == "status":
                        lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name)):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            writes = {
                "update": any(k.arg == "status" for k in node.keywords),
                "bulk_update": "'status'" in ast.unparse(node),
                "setattr": len(node.args) > 1
                and ast.unparse(node.args[1]) in ("'status'", "self.status_field"),
            }
            if writes.get(name):
                lines.append(node.lineno)
    return lines


def test_the_scan_finds_status_writes():
    code = ("order.status = 'x'\nOrder.objects.filter(pk=1).update(status='x')\n"
            "setattr(order, 'status', 'x')\nOrder.objects.bulk_update(o, ['status'])\n"
            "order.comment = 'y'\nOrder.objects.update(comment='y')\n")
    assert _status_writes(ast.parse(code)) == [1, 2, 3, 4]


def test_no_status_is_written_outside_the_services():
    """Only the services (and the export jobs' own, which are no workflow of the portal's
    pipelines but are written in exports/services.py too) write a status."""
    root = Path(settings.BASE_DIR)
    offenders = []
    for folder in ("portal_api", "workflows", "cms", "config"):
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root)
            if path.name == "services.py" or "migrations" in path.parts:
                continue
            for line in _status_writes(ast.parse(path.read_text(), filename=str(path))):
                offenders.append(f"{relative}:{line}")
    assert offenders == [], "status written outside a services module: " + ", ".join(offenders)
