"""Reads of the service, scoped to the acting user, in a constant number of queries."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal_api.accounts.rules import staff_roles_of
from portal_api.documents.models import DocumentKind
from portal_api.documents.selectors import document_list
from portal_api.documents.services import document_create
from portal_api.service import selectors
from portal_api.service.factories import (
    ExpenseFactory,
    InterventionFactory,
    InterventionLineFactory,
    TicketEventFactory,
    TicketFactory,
    TimeEntryFactory,
)


def attach(obj, title="photo.jpg", kind=DocumentKind.PHOTO, **extra):
    return document_create(title=title, filename=title, content=b"x", kind=kind,
                           client_account=obj.client_account, related_object=obj, **extra)


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


class TestTickets:
    def test_company_scope(self, martin, other_manager, dispatcher, dupond_site, other_site):
        mine = TicketFactory(site=dupond_site)
        theirs = TicketFactory(site=other_site)
        assert list(selectors.ticket_list(user=martin)) == [mine]
        assert list(selectors.ticket_list(user=other_manager)) == [theirs]
        assert set(selectors.ticket_list(user=dispatcher)) == {mine, theirs}

    def test_limited_technician_sees_the_requests_of_his_interventions(
            self, julie, chief, dupond_site, intervention):
        hers = TicketFactory(site=dupond_site, intervention=intervention)
        waiting = TicketFactory(site=dupond_site)
        assert list(selectors.ticket_list(user=julie)) == [hers]
        assert set(selectors.ticket_list(user=chief)) == {hers, waiting}

    def test_attachments_count_and_detail(self, martin, dupond_site):
        ticket = TicketFactory(site=dupond_site)
        attach(ticket, "a.jpg")
        attach(ticket, "b.pdf", kind=DocumentKind.ATTACHMENT)
        TicketEventFactory(ticket=ticket, message="Demande reçue.")
        row = selectors.ticket_detail_list(user=martin).get()
        assert row.attachments_count == 2
        assert [d.title for d in row.attachments] == ["a.jpg", "b.pdf"]
        assert [e.message for e in row.events.all()] == ["Demande reçue."]

    def test_constant_queries(self, martin, dupond_site):
        def fetch():
            for t in selectors.ticket_detail_list(user=martin):
                _ = (t.attachments_count, list(t.events.all()), t.attachments,
                     t.equipment, t.requester, t.reply_to, t.intervention, t.site)

        def make(n):
            for _ in range(n):
                ticket = TicketFactory(site=dupond_site)
                attach(ticket)
                TicketEventFactory(ticket=ticket)

        make(2)
        few = count_queries(fetch)
        make(10)
        assert count_queries(fetch) == few


class TestRequesterChoices:
    def test_the_portal_users_of_the_company_only(self, martin, dupond, other_manager, julie,
                                                 dispatcher, dupond_company, other_company):
        choices = selectors.ticket_requester_choices(user=dispatcher,
                                                     client_account_id=dupond_company.pk)
        assert set(choices) == {martin, dupond}
        # Before a company is chosen: every company's portal users the dispatcher reaches,
        # never a staff member.
        assert set(selectors.ticket_requester_choices(user=dispatcher)) == {
            martin, dupond, other_manager}

    def test_within_the_users_reach(self, julie, martin, dupond_company, dupond_site):
        # Julie reaches only the companies of her interventions: none yet.
        assert not selectors.ticket_requester_choices(user=julie,
                                                      client_account_id=dupond_company.pk)
        InterventionFactory(site=dupond_site, technicians=[julie])
        assert martin in selectors.ticket_requester_choices(user=julie)


class TestInterventions:
    def test_detail_constant_queries(self, julie, dupond_site, part):
        def make(n):
            for _ in range(n):
                intervention = InterventionFactory(site=dupond_site, technicians=[julie])
                InterventionLineFactory(intervention=intervention, article=part)
                TimeEntryFactory(intervention=intervention, technician=julie)
                ExpenseFactory(intervention=intervention, technician=julie,
                               amount=Decimal("12.00"))

        def fetch():
            for i in selectors.intervention_detail_list(user=julie):
                _ = ([line.article.reference for line in i.lines.all()],
                     [e.technician.email for e in i.time_entries.all()],
                     [(e.technician.email, e.receipt) for e in i.expenses.all()],
                     list(i.technicians.all()), i.site, i.equipment, i.contract,
                     getattr(i, "ticket", None), i.report)

        make(2)
        staff_roles_of(julie)  # her back-office roles: read once per request
        few = count_queries(fetch)
        make(8)
        assert count_queries(fetch) == few

    def test_documents_of_the_intervention_and_its_ticket(self, julie, martin, dupond_site,
                                                          intervention):
        ticket = TicketFactory(site=dupond_site, intervention=intervention)
        from_ticket = attach(ticket, "fuite.jpg")
        photo = attach(intervention, "apres.jpg")
        receipt = attach(intervention, "ticket-repas.jpg", kind=DocumentKind.RECEIPT)
        attach(TicketFactory(site=dupond_site), "autre-demande.jpg")
        attach(InterventionFactory(site=dupond_site), "autre-intervention.jpg")

        assert list(selectors.intervention_document_list(user=julie, intervention=intervention)
                    ) == [from_ticket, photo, receipt]
        assert list(selectors.intervention_document_list(user=martin, intervention=intervention)
                    ) == [from_ticket, photo]

    def test_other_company_gets_nothing(self, other_manager, intervention):
        attach(intervention)
        assert not selectors.intervention_document_list(user=other_manager,
                                                        intervention=intervention).exists()


class TestDocumentList:
    def test_limited_technician_reaches_only_his_interventions_documents(
            self, julie, chief, dupond_site, dupond_company, intervention):
        ticket = TicketFactory(site=dupond_site, intervention=intervention)
        # The contract of a client she works for is within her reach (what the sheet needs);
        # the files of others' interventions and of requests not hers are not.
        hers = {attach(intervention, "sien.jpg"), attach(ticket, "demande.jpg"),
                document_create(title="Contrat", filename="contrat.pdf", content=b"%PDF",
                                client_account=dupond_company, kind=DocumentKind.CONTRACT)}
        others = {
            attach(InterventionFactory(site=dupond_site), "pas-a-elle.jpg"),
            attach(TicketFactory(site=dupond_site), "demande-non-convertie.jpg"),
        }
        own_upload = document_create(title="Note", filename="note.pdf", content=b"%PDF",
                                     uploaded_by=julie)
        assert set(document_list(user=julie)) == hers | {own_upload}
        # The team lead reaches every intervention and request, not Julie's general note (a
        # general document is the editors' area).
        assert set(document_list(user=chief)) == hers | others
