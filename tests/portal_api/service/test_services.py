"""Requests, interventions, their sheet and signature: portal_api/service/services.py."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from portal_api.common.errors import ServiceError
from portal_api.documents.models import Document, DocumentKind
from portal_api.service import selectors
from portal_api.service.factories import InterventionFactory, TicketFactory
from portal_api.service.models import (
    Intervention,
    InterventionLine,
    InterventionStatus,
    MeterReading,
    Ticket,
    TicketStatus,
    TimeEntry,
)
from portal_api.service.services import (
    expense_add,
    expense_remove,
    intervention_cancel,
    intervention_close,
    intervention_contract_proposed,
    intervention_create,
    intervention_create_on_site,
    intervention_documents_add,
    intervention_line_add,
    intervention_line_remove,
    intervention_line_update,
    intervention_set_status,
    intervention_sheet_update,
    intervention_sign,
    intervention_warranty_proposed,
    ticket_close,
    ticket_convert,
    ticket_create,
    ticket_follow_intervention,
    ticket_set_status,
    time_entry_add,
    time_entry_remove,
)

IS, TS = InterventionStatus, TicketStatus


def refused(func, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as exc:
        func(**kwargs)
    return exc.value


def at(hour: int, minute: int = 0, days: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def timeline(ticket) -> list[tuple[str, str]]:
    return [(e.status, e.message) for e in ticket.events.order_by("created_at", "id")]


@pytest.fixture
def request_(martin, dupond_company, boiler, martin_contact, files,
             django_capture_on_commit_callbacks):
    """M. Martin's urgent request on the boiler, with a photo."""
    with django_capture_on_commit_callbacks(execute=True):
        return ticket_create(
            client_account=dupond_company, requester=martin, equipment=boiler,
            description="Plus de chauffage dans l'atelier.", urgent=True,
            reply_to=martin_contact, attachments=[files.jpeg("chaudiere.jpg")],
        )


def fill_sheet(intervention, by, **extra):
    fields = {"departure_at": at(7, 30), "arrival_at": at(8), "end_at": at(10),
              "work_done": "Remplacement de l'électrode d'allumage."} | extra
    return intervention_sheet_update(intervention=intervention, by=by, **fields)


def sign(intervention, by, files, name="Paul Martin"):
    return intervention_sign(intervention=intervention, by=by, signer_name=name,
                             signature_png=files.signature())


# --- Requests ------------------------------------------------------------------------------

class TestTicketCreate:
    def test_urgent_request_with_photo(self, request_, boiler, martin, mailoutbox):
        ticket = request_
        assert ticket.number.startswith("DI-") and ticket.status == TS.RECEIVED
        assert (ticket.equipment, ticket.site) == (boiler, boiler.site)
        [photo] = Document.objects.filter(kind=DocumentKind.PHOTO)
        assert photo.related_object == ticket and photo.client_account == ticket.client_account
        assert photo.uploaded_by == martin and photo.content_type == "image/jpeg"
        assert timeline(ticket) == [(TS.RECEIVED, "Demande urgente reçue.")]
        [mail] = mailoutbox
        assert mail.to == ["service-client@example.fr"]
        assert mail.subject.startswith("[URGENT] ")
        assert ticket.number in mail.subject and "Dupond Industrie" in mail.subject
        assert "Plus de chauffage" in mail.body and "chaudiere.jpg" in mail.body
        assert mail.reply_to == ["martin@dupond-industrie.fr"]

    def test_not_urgent_subject(self, martin, dupond_company, boiler, mailoutbox,
                                django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            ticket_create(client_account=dupond_company, requester=martin, equipment=boiler,
                          description="Bruit anormal.")
        assert not mailoutbox[0].subject.startswith("[URGENT]")

    def test_a_typed_serial_matching_the_companys_equipment_links_it(
            self, martin, dupond_company, boiler):
        ticket = ticket_create(client_account=dupond_company, requester=martin,
                               serial_number_typed=" vit-2019-0042 ", description="Fuite")
        assert ticket.equipment == boiler and ticket.site == boiler.site
        assert not ticket.serial_unmatched

    def test_a_typed_serial_matching_nothing_is_kept_and_flagged(
            self, martin, dupond_company, other_equipment, mailoutbox,
            django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            ticket = ticket_create(client_account=dupond_company, requester=martin,
                                   serial_number_typed=other_equipment.serial_number,
                                   description="Fuite")
        assert ticket.equipment is None and ticket.serial_unmatched
        assert "ne correspond à aucun équipement" in mailoutbox[0].body

    def test_a_typed_serial_names_its_site_when_the_company_has_several(
            self, martin, dupond_company, dupond_site):
        from portal_api.accounts.factories import SiteFactory

        office = SiteFactory(client_account=dupond_company, name="Siège social")
        error = refused(ticket_create, client_account=dupond_company, requester=martin,
                        serial_number_typed="DKN-7731", description="Fuite")
        assert error.fields == {"site": ["Indiquez le site où se trouve l'équipement."]}
        assert not Ticket.objects.exists()
        ticket = ticket_create(client_account=dupond_company, requester=martin,
                               serial_number_typed="DKN-7731", site=office,
                               description="Fuite")
        assert ticket.site == office and ticket.serial_number_typed == "DKN-7731"

    def test_a_typed_serial_takes_the_companys_only_site(self, martin, dupond_company,
                                                         dupond_site):
        ticket = ticket_create(client_account=dupond_company, requester=martin,
                               serial_number_typed="DKN-7731", description="Fuite")
        assert ticket.site == dupond_site

    def test_a_request_naming_no_equipment_needs_no_site(self, dupond_company, dupond_site):
        from portal_api.accounts.factories import SiteFactory

        SiteFactory(client_account=dupond_company, name="Siège social")
        ticket = ticket_create(client_account=dupond_company, requester=None,
                               description="Un devis pour une climatisation ?")
        assert ticket.site is None

    @pytest.mark.parametrize("field", ["equipment", "reply_to", "site"])
    def test_another_companys_object_is_a_400_on_its_field(
            self, martin, dupond_company, other_equipment, other_contact, other_site, field):
        value = {"equipment": other_equipment, "reply_to": other_contact,
                 "site": other_site}[field]
        error = refused(ticket_create, client_account=dupond_company, requester=martin,
                        description="Fuite", **{field: value})
        assert error.status_code == 400 and list(error.fields) == [field]
        assert not Ticket.objects.exists()

    def test_description_required(self, martin, dupond_company, boiler):
        error = refused(ticket_create, client_account=dupond_company, requester=martin,
                        equipment=boiler, description="   ")
        assert list(error.fields) == ["description"]

    def test_a_bad_attachment_refuses_the_whole_request(self, martin, dupond_company, boiler,
                                                       files, mailoutbox):
        error = refused(ticket_create, client_account=dupond_company, requester=martin,
                        equipment=boiler, description="Fuite",
                        attachments=[files.jpeg(), files.upload("photo.jpg", b"<html>")])
        assert "photo.jpg" in error.fields["attachments"][0]
        assert not Ticket.objects.exists() and not Document.objects.exists()
        assert not mailoutbox

    def test_same_idempotency_key_same_ticket(self, martin, dupond_company, boiler, files,
                                              mailoutbox, django_capture_on_commit_callbacks):
        kwargs = {"client_account": dupond_company, "requester": martin, "equipment": boiler,
                  "description": "Fuite", "idempotency_key": "k-1"}
        with django_capture_on_commit_callbacks(execute=True):
            first = ticket_create(**kwargs, attachments=[files.jpeg()])
            again = ticket_create(**kwargs, attachments=[files.jpeg()])
        assert again.pk == first.pk
        assert Ticket.objects.count() == 1 and Document.objects.count() == 1
        assert len(mailoutbox) == 1
        other = ticket_create(**(kwargs | {"idempotency_key": "k-2"}))
        assert other.pk != first.pk

    def test_the_key_is_per_requester(self, martin, dupond_company, boiler):
        from portal_api.accounts.factories import PortalProfileFactory
        from portal_api.accounts.models import PortalRole

        colleague = PortalProfileFactory(client_account=dupond_company,
                                         role=PortalRole.TECHNICAL).user
        a = ticket_create(client_account=dupond_company, requester=martin, equipment=boiler,
                          description="Fuite", idempotency_key="same")
        b = ticket_create(client_account=dupond_company, requester=colleague,
                          equipment=boiler, description="Fuite", idempotency_key="same")
        assert a.pk != b.pk


# --- Ticket → intervention -------------------------------------------------------------------

class TestConvert:
    def test_everything_is_carried_over(self, request_, dispatcher, julie, boiler,
                                        dupond_contract):
        ticket = request_
        intervention = ticket_convert(ticket=ticket, by=dispatcher, technicians=[julie],
                                      planned_start=at(9, days=1), planned_end=at(11, days=1))
        assert intervention.number.startswith("BI-")
        assert (intervention.client_account, intervention.site, intervention.equipment,
                intervention.contract) == (ticket.client_account, boiler.site, boiler,
                                           dupond_contract)
        assert intervention.description == ticket.description
        assert intervention.under_warranty is True  # the boiler's warranty runs a year more
        assert list(intervention.technicians.all()) == [julie]
        assert intervention.status == IS.PLANNED and intervention.created_by == dispatcher
        ticket.refresh_from_db()
        assert ticket.intervention == intervention and ticket.status == TS.PLANNED
        assert ticket.events.last().message.startswith(
            f"Intervention {intervention.number} planifiée le ")
        # The request's photo is among the intervention's documents, for Julie and Martin.
        [photo] = ticket.documents.all()
        for user in (julie, ticket.requester):
            assert list(selectors.intervention_document_list(
                user=user, intervention=intervention)) == [photo]

    def test_what_the_dispatcher_changes_wins(self, request_, dispatcher, old_pump,
                                              dupond_contract):
        intervention = ticket_convert(ticket=request_, by=dispatcher, equipment=old_pump,
                                      description="Vérifier le circulateur",
                                      contract=dupond_contract)
        assert intervention.equipment == old_pump and intervention.contract == dupond_contract
        assert intervention.description == "Vérifier le circulateur"
        assert not intervention.under_warranty
        assert intervention.status == IS.TO_PLAN
        request_.refresh_from_db()
        assert request_.status == TS.IN_PROGRESS

    def test_a_typed_serial_and_the_urgency_go_to_the_intervention_on_the_requests_site(
            self, martin, dispatcher, julie, dupond_company, dupond_site):
        from portal_api.accounts.factories import SiteFactory

        office = SiteFactory(client_account=dupond_company, name="Siège social")
        ticket = ticket_create(client_account=dupond_company, requester=martin,
                               serial_number_typed="DKN-7731", site=office, urgent=True,
                               description="Le climatiseur goutte.")
        intervention = ticket_convert(ticket=ticket, by=dispatcher, technicians=[julie],
                                      planned_start=at(9, days=1))
        assert intervention.site == office != dupond_site
        assert intervention.equipment is None
        assert intervention.serial_number_typed == "DKN-7731" and intervention.urgent

    def test_a_calm_request_makes_a_calm_intervention(self, martin, dispatcher, boiler,
                                                      dupond_company):
        ticket = ticket_create(client_account=dupond_company, requester=martin,
                               equipment=boiler, description="Bruit.")
        intervention = ticket_convert(ticket=ticket, by=dispatcher)
        assert not intervention.urgent and intervention.serial_number_typed == ""

    def test_once_only(self, request_, dispatcher):
        ticket_convert(ticket=request_, by=dispatcher)
        error = refused(ticket_convert, ticket=request_, by=dispatcher)
        assert (error.status_code, error.code) == (409, "already_converted")
        assert Intervention.objects.count() == 1

    def test_a_closed_request_is_not_converted(self, request_, dispatcher):
        ticket_close(ticket=request_, by=dispatcher, answer="Réglé par téléphone.")
        assert refused(ticket_convert, ticket=request_, by=dispatcher).status_code == 409
        assert not Intervention.objects.exists()

    def test_another_companys_equipment_or_contract(self, request_, dispatcher,
                                                    other_equipment, other_contract):
        assert list(refused(ticket_convert, ticket=request_, by=dispatcher,
                            equipment=other_equipment).fields) == ["equipment"]
        assert list(refused(ticket_convert, ticket=request_, by=dispatcher,
                            contract=other_contract).fields) == ["contract"]
        request_.refresh_from_db()
        assert request_.intervention is None and request_.status == TS.RECEIVED

    def test_only_technicians_are_assigned(self, request_, dispatcher):
        error = refused(ticket_convert, ticket=request_, by=dispatcher,
                        technicians=[dispatcher], planned_start=at(9, days=1))
        assert list(error.fields) == ["technicians"]

    def test_planned_window_in_order(self, request_, dispatcher, julie):
        error = refused(ticket_convert, ticket=request_, by=dispatcher, technicians=[julie],
                        planned_start=at(11, days=1), planned_end=at(9, days=1))
        assert list(error.fields) == ["planned_end"]


class TestStatusFollowUp:
    def test_the_request_follows_its_intervention(self, request_, dispatcher, julie, files):
        ticket = request_
        intervention = ticket_convert(ticket=ticket, by=dispatcher)
        ticket.refresh_from_db()
        assert ticket.status == TS.IN_PROGRESS  # to plan

        # Planned (as the back office does it), then Julie arrives: still "planned".
        intervention.technicians.set([julie])
        Intervention.objects.filter(pk=intervention.pk).update(planned_start=at(8))
        intervention.refresh_from_db()
        intervention_set_status(intervention=intervention, status=IS.PLANNED, by=dispatcher)
        fill_sheet(intervention, julie)
        assert Intervention.objects.get(pk=intervention.pk).status == IS.IN_PROGRESS
        ticket.refresh_from_db()
        assert ticket.status == TS.PLANNED

        sign(intervention, julie, files)
        ticket.refresh_from_db()
        assert ticket.status == TS.DONE

        intervention_close(intervention=intervention, by=dispatcher)
        ticket.refresh_from_db()
        assert ticket.status == TS.CLOSED and ticket.closed_at is not None
        assert [status for status, _ in timeline(ticket)] == [
            TS.RECEIVED, TS.IN_PROGRESS, TS.PLANNED, TS.DONE, TS.CLOSED]
        assert "signé par Paul Martin" in timeline(ticket)[3][1]

    def test_a_cancelled_intervention_puts_the_request_back_in_progress(
            self, request_, dispatcher, julie):
        intervention = ticket_convert(ticket=request_, by=dispatcher, technicians=[julie],
                                      planned_start=at(9, days=1))
        intervention_cancel(intervention=intervention, by=dispatcher, reason="Doublon")
        request_.refresh_from_db()
        assert request_.status == TS.IN_PROGRESS
        assert "annulée" in request_.events.last().message

    def test_no_event_without_a_change(self, request_, dispatcher, julie):
        intervention = ticket_convert(ticket=request_, by=dispatcher, technicians=[julie],
                                      planned_start=at(9, days=1))
        count = request_.events.count()
        ticket_follow_intervention(intervention=intervention)
        assert request_.events.count() == count


class TestClose:
    def test_answer_mailed_to_the_reply_to_contact(self, martin, dupond_company, boiler,
                                                   dupond_contact, dispatcher, mailoutbox,
                                                   django_capture_on_commit_callbacks):
        ticket = ticket_create(client_account=dupond_company, requester=martin,
                               equipment=boiler, description="Devis ?",
                               reply_to=dupond_contact)
        with django_capture_on_commit_callbacks(execute=True):
            ticket = ticket_close(ticket=ticket, by=dispatcher,
                                  answer="Le devis vous est envoyé.")
        assert ticket.status == TS.CLOSED and ticket.closed_at and ticket.answer
        assert timeline(ticket)[-1] == (TS.CLOSED, "Le devis vous est envoyé.")
        [mail] = [m for m in mailoutbox if m.to == ["s.leroy@dupond-industrie.fr"]]
        assert ticket.number in mail.subject and "Le devis vous est envoyé." in mail.body
        assert "Sophie Leroy" in mail.body

    def test_without_reply_to_the_requester_is_answered(
            self, martin, dupond_company, boiler, dispatcher, mailoutbox,
            django_capture_on_commit_callbacks):
        ticket = ticket_create(client_account=dupond_company, requester=martin,
                               equipment=boiler, description="Devis ?")
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            ticket_close(ticket=ticket, by=dispatcher, answer="Voici.")
        assert [m.to for m in mailoutbox] == [["martin@dupond-industrie.fr"]]

    def test_answer_required_and_once(self, request_, dispatcher):
        assert list(refused(ticket_close, ticket=request_, by=dispatcher,
                            answer=" ").fields) == ["answer"]
        ticket_close(ticket=request_, by=dispatcher, answer="Fait.")
        assert refused(ticket_close, ticket=request_, by=dispatcher,
                       answer="Encore").status_code == 409


# --- Interventions -------------------------------------------------------------------------

class TestCreate:
    def test_on_site_the_technician_is_assigned_and_it_starts_now(
            self, julie, dupond_company, dupond_site, boiler, dupond_contract):
        intervention = intervention_create_on_site(
            by=julie, client_account=dupond_company, site=dupond_site, equipment=boiler,
            description="Fuite découverte sur le circuit secondaire")
        assert list(intervention.technicians.all()) == [julie]
        assert intervention.status == IS.IN_PROGRESS and intervention.created_by == julie
        assert abs((intervention.planned_start - timezone.now()).total_seconds()) < 60
        assert intervention.contract == dupond_contract and intervention.under_warranty

    @pytest.mark.parametrize("field", ["site", "equipment"])
    def test_another_companys_site_or_equipment(self, julie, dupond_company, dupond_site,
                                                other_site, other_equipment, field):
        kwargs = {"site": dupond_site, "equipment": None}
        kwargs[field] = {"site": other_site, "equipment": other_equipment}[field]
        error = refused(intervention_create_on_site, by=julie, client_account=dupond_company,
                        description="X", **kwargs)
        assert list(error.fields) == [field]
        assert not Intervention.objects.exists()

    def test_description_required(self, julie, dupond_company, dupond_site):
        assert list(refused(intervention_create_on_site, by=julie,
                            client_account=dupond_company, site=dupond_site,
                            description="").fields) == ["description"]


class TestWarrantyAndContract:
    def test_warranty_proposed_from_the_equipment_on_the_day_of_the_visit(
            self, dupond_site, boiler):
        end = boiler.warranty_end
        intervention = InterventionFactory(site=dupond_site, equipment=boiler,
                                           planned_start=at(9, days=-1))
        assert intervention_warranty_proposed(intervention=intervention)
        intervention.planned_start = timezone.make_aware(
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(9)))
        assert not intervention_warranty_proposed(intervention=intervention)
        intervention.arrival_at = at(9)  # the actual visit day wins
        assert intervention_warranty_proposed(intervention=intervention)

    def test_no_equipment_no_warranty(self, dupond_site):
        assert not intervention_warranty_proposed(
            intervention=InterventionFactory(site=dupond_site))

    def test_contract_proposed_when_it_covers_the_visit(self, dupond_site, boiler,
                                                       dupond_contract, old_pump):
        intervention = InterventionFactory(site=dupond_site, equipment=boiler)
        assert intervention_contract_proposed(intervention=intervention) == dupond_contract
        dupond_contract.end_date = timezone.localdate() - datetime.timedelta(days=1)
        dupond_contract.start_date = dupond_contract.end_date - datetime.timedelta(days=30)
        dupond_contract.save()
        assert intervention_contract_proposed(intervention=intervention) is None
        assert intervention_contract_proposed(
            intervention=InterventionFactory(site=dupond_site, equipment=old_pump)) is None

    def test_created_with_the_proposals(self, dispatcher, dupond_company, dupond_site,
                                        boiler, old_pump, dupond_contract):
        proposed = intervention_create(client_account=dupond_company, site=dupond_site,
                                       created_by=dispatcher, equipment=boiler)
        assert proposed.under_warranty and proposed.contract == dupond_contract
        bare = intervention_create(client_account=dupond_company, site=dupond_site,
                                   created_by=dispatcher, equipment=old_pump)
        assert not bare.under_warranty and bare.contract is None


class TestSheet:
    def test_fill_in(self, intervention, julie, boiler):
        intervention = fill_sheet(intervention, julie, meter_reading=Decimal("12345.5"),
                                  comments="  RAS  ", return_at=at(10, 30),
                                  under_warranty=False)
        intervention.refresh_from_db()
        assert intervention.status == IS.IN_PROGRESS
        assert intervention.comments == "RAS" and not intervention.under_warranty
        [reading] = MeterReading.objects.all()
        assert (reading.equipment, reading.value, reading.read_at) == (
            boiler, Decimal("12345.50"), at(10))
        intervention_sheet_update(intervention=intervention, by=julie,
                                  meter_reading=Decimal("12400"))
        [reading] = MeterReading.objects.all()
        assert reading.value == Decimal("12400")  # one reading per intervention, updated
        intervention_sheet_update(intervention=intervention, by=julie, meter_reading=None)
        assert not MeterReading.objects.exists()

    def test_arrival_before_departure_names_the_arrival(self, intervention, julie):
        error = refused(intervention_sheet_update, intervention=intervention, by=julie,
                        departure_at=at(9), arrival_at=at(8, 30))
        assert error.status_code == 400
        assert error.fields == {"arrival_at": ["L'arrivée ne peut précéder le départ."]}
        intervention.refresh_from_db()
        assert intervention.departure_at is None and intervention.status == IS.PLANNED

    def test_order_checked_against_what_is_already_saved(self, intervention, julie):
        fill_sheet(intervention, julie)
        for field, value in [("end_at", at(7)), ("return_at", at(9, 59)),
                             ("departure_at", at(8, 1))]:
            error = refused(intervention_sheet_update, intervention=intervention, by=julie,
                            **{field: value})
            named = "arrival_at" if field == "departure_at" else field
            assert list(error.fields) == [named], field

    def test_gaps_are_allowed_but_order_still_holds(self, intervention, julie):
        error = refused(intervention_sheet_update, intervention=intervention, by=julie,
                        departure_at=at(9), end_at=at(8))
        assert error.fields == {"end_at": ["La fin ne peut précéder le départ."]}

    def test_another_clients_contract(self, intervention, julie, other_contract):
        error = refused(intervention_sheet_update, intervention=intervention, by=julie,
                        contract=other_contract)
        assert list(error.fields) == ["contract"]

    def test_negative_meter(self, intervention, julie):
        assert list(refused(intervention_sheet_update, intervention=intervention, by=julie,
                            meter_reading=Decimal("-1")).fields) == ["meter_reading"]

    def test_unknown_field_is_a_programming_error(self, intervention, julie):
        with pytest.raises(TypeError):
            intervention_sheet_update(intervention=intervention, by=julie, signed_at=at(9))


class TestLines:
    def test_add_change_remove_at_the_articles_price(self, intervention, part, labour):
        line = intervention_line_add(intervention=intervention, article=part, quantity=1)
        assert (line.label, line.unit_price_excl_tax) == ("Circulateur 25-60",
                                                           Decimal("189.00"))
        hours = intervention_line_add(intervention=intervention, article=labour,
                                      quantity="1.5", label="Diagnostic")
        assert hours.label == "Diagnostic" and hours.position == 2
        line = intervention_line_update(line=line, quantity=2, label="Circulateur neuf")
        assert (line.quantity, line.label) == (Decimal("2"), "Circulateur neuf")
        intervention_line_remove(line=line)
        assert list(intervention.lines.all()) == [hours]

    @pytest.mark.parametrize("article", ["office_only_article", "hidden_family_article"])
    def test_only_the_technicians_catalogue(self, request, intervention, article):
        article = request.getfixturevalue(article)
        error = refused(intervention_line_add, intervention=intervention, article=article,
                        quantity=1)
        assert list(error.fields) == ["article"]
        assert not InterventionLine.objects.exists()

    @pytest.mark.parametrize("quantity", [0, -1, "abc", "1.5", "1e12"])
    def test_bad_quantities(self, intervention, part, quantity):
        assert list(refused(intervention_line_add, intervention=intervention, article=part,
                            quantity=quantity).fields) == ["quantity"]


class TestTimeAndExpenses:
    def test_time_entries(self, intervention, julie, dupond):
        entry = time_entry_add(intervention=intervention, technician=julie, kind="travel",
                               date=timezone.localdate(), hours="0.75", comment="Aller")
        assert entry.hours == Decimal("0.75")
        for kwargs, field in [({"hours": 25}, "hours"), ({"hours": 0}, "hours"),
                              ({"kind": "nap"}, "kind"), ({"technician": dupond},
                                                          "technician")]:
            values = {"intervention": intervention, "technician": julie, "kind": "work",
                      "date": timezone.localdate(), "hours": 2} | kwargs
            assert list(refused(time_entry_add, **values).fields) == [field]
        time_entry_remove(entry=entry)
        assert not TimeEntry.objects.exists()

    def test_expense_with_receipt_seen_by_staff_only(self, intervention, julie, martin,
                                                     files):
        expense = expense_add(intervention=intervention, technician=julie, kind="meal",
                              date=timezone.localdate(), amount="18.50",
                              receipt=files.jpeg("ticket.jpg"))
        receipt = expense.receipt
        assert receipt.kind == DocumentKind.RECEIPT and receipt.related_object == intervention
        assert receipt.client_account is None
        assert receipt in selectors.intervention_document_list(user=julie,
                                                               intervention=intervention)
        assert receipt not in selectors.intervention_document_list(user=martin,
                                                                   intervention=intervention)
        expense_remove(expense=expense)
        assert not Document.objects.exists()

    def test_bad_expenses(self, intervention, julie, files):
        base = {"intervention": intervention, "technician": julie, "kind": "fuel",
                "date": timezone.localdate(), "amount": "40"}
        for kwargs, field in [({"amount": "0"}, "amount"), ({"amount": "1.234"}, "amount"),
                              ({"kind": "gift"}, "kind"),
                              ({"receipt": files.upload("recu.jpg", b"MZ")}, "receipt")]:
            assert list(refused(expense_add, **(base | kwargs)).fields) == [field]
        assert not Document.objects.exists()


class TestDocuments:
    def test_photos_added_to_the_ged(self, intervention, julie, martin, files):
        documents = intervention_documents_add(intervention=intervention, by=julie,
                                               files=[files.jpeg("avant.jpg"),
                                                      files.pdf("rapport-mesures.pdf")])
        assert [(d.kind, d.client_account_id) for d in documents] == [
            (DocumentKind.PHOTO, intervention.client_account_id),
            (DocumentKind.ATTACHMENT, intervention.client_account_id)]
        assert set(selectors.intervention_document_list(user=martin,
                                                        intervention=intervention)) == set(
            documents)

    def test_one_bad_file_stores_nothing(self, intervention, julie, files):
        error = refused(intervention_documents_add, intervention=intervention, by=julie,
                        files=[files.jpeg(), files.upload("x.png", b"<svg/>")])
        assert "x.png" in error.fields["files"][0]
        assert not Document.objects.exists()


# --- Signature ------------------------------------------------------------------------------

class TestSign:
    def test_signing_locks_the_sheet(self, request_, dispatcher, julie, part, files,
                                     django_capture_on_commit_callbacks):
        intervention = ticket_convert(ticket=request_, by=dispatcher, technicians=[julie],
                                      planned_start=at(8))
        fill_sheet(intervention, julie)
        line = intervention_line_add(intervention=intervention, article=part, quantity=1)
        entry = time_entry_add(intervention=intervention, technician=julie, kind="work",
                               date=timezone.localdate(), hours=2)
        expense = expense_add(intervention=intervention, technician=julie, kind="meal",
                              date=timezone.localdate(), amount=15)
        with django_capture_on_commit_callbacks(execute=True):
            intervention = sign(intervention, julie, files, name="  Paul Martin ")
        assert intervention.signed_at and intervention.signer_name == "Paul Martin"
        assert intervention.status == IS.DONE and intervention.is_locked
        with intervention.signature_image.open("rb") as handle:
            assert handle.read().startswith(b"\x89PNG")
        intervention.refresh_from_db()
        assert intervention.report.kind == DocumentKind.INTERVENTION_REPORT  # rendered
        request_.refresh_from_db()
        assert request_.status == TS.DONE

        edits = [
            (intervention_sheet_update, {"intervention": intervention, "by": julie,
                                         "work_done": "Autre chose"}),
            (intervention_line_add, {"intervention": intervention, "article": part,
                                     "quantity": 1}),
            (intervention_line_update, {"line": line, "quantity": 3}),
            (intervention_line_remove, {"line": line}),
            (time_entry_add, {"intervention": intervention, "technician": julie,
                              "kind": "work", "date": timezone.localdate(), "hours": 1}),
            (time_entry_remove, {"entry": entry}),
            (expense_add, {"intervention": intervention, "technician": julie, "kind": "meal",
                           "date": timezone.localdate(), "amount": 9}),
            (expense_remove, {"expense": expense}),
            (intervention_documents_add, {"intervention": intervention, "by": julie,
                                          "files": [files.jpeg()]}),
        ]
        for func, kwargs in edits:
            error = refused(func, **kwargs)
            assert (error.status_code, error.code) == (409, "locked"), func.__name__
        error = refused(intervention_sign, intervention=intervention, by=julie,
                        signer_name="Quelqu'un", signature_png=files.signature())
        assert error.status_code == 409
        intervention.refresh_from_db()
        assert intervention.work_done == "Remplacement de l'électrode d'allumage."
        assert intervention.lines.count() == 1 and intervention.time_entries.count() == 1
        assert intervention.expenses.count() == 1 and intervention.signer_name == "Paul Martin"

    def test_an_incomplete_sheet_is_refused_naming_each_field(self, intervention, julie,
                                                              files):
        error = refused(intervention_sign, intervention=intervention, by=julie,
                        signer_name="", signature_png=files.signature())
        assert error.status_code == 400 and error.code == "incomplete"
        assert set(error.fields) == {"arrival_at", "end_at", "work_done", "signer_name"}
        intervention_sheet_update(intervention=intervention, by=julie, arrival_at=at(8),
                                  work_done="Nettoyage")
        error = refused(intervention_sign, intervention=intervention, by=julie,
                        signer_name="Paul Martin", signature_png=files.signature())
        assert list(error.fields) == ["end_at"]
        intervention.refresh_from_db()
        assert intervention.signed_at is None and not intervention.signature_image

    @pytest.mark.parametrize("signature", ["blank", "jpeg", "garbage", "empty"])
    def test_the_signature_must_be_a_png_with_ink(self, intervention, julie, files,
                                                  signature):
        fill_sheet(intervention, julie)
        content = {"blank": files.signature(blank=True), "jpeg": files.image("JPEG"),
                   "garbage": b"\x89PNG\r\n\x1a\nnot really", "empty": b""}[signature]
        error = refused(intervention_sign, intervention=intervention, by=julie,
                        signer_name="Paul Martin", signature_png=content)
        assert list(error.fields) == ["signature"]
        intervention.refresh_from_db()
        assert intervention.signed_at is None

    def test_a_white_background_signature_with_ink_is_fine(self, intervention, julie):
        import io

        from PIL import Image, ImageDraw

        image = Image.new("RGB", (300, 100), "white")
        ImageDraw.Draw(image).line([(10, 80), (150, 20), (290, 70)], fill="black", width=3)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        fill_sheet(intervention, julie)
        intervention = intervention_sign(intervention=intervention, by=julie,
                                         signer_name="Paul Martin",
                                         signature_png=buffer.getvalue())
        assert intervention.signed_at is not None

    def test_a_request_less_intervention_signs_too(self, intervention, julie, files):
        fill_sheet(intervention, julie)
        assert sign(intervention, julie, files).status == IS.DONE
        assert not Ticket.objects.exists()


def test_ticket_factory_and_events(dupond_site):
    ticket = TicketFactory(site=dupond_site, serial_number_typed="XYZ")
    assert ticket.serial_unmatched and ticket.client_account == dupond_site.client_account


class TestCancelAndClose:
    def test_cancel_puts_the_request_back_in_progress(self, request_, dispatcher, julie):
        intervention = ticket_convert(ticket=request_, by=dispatcher, technicians=[julie],
                                      planned_start=at(9, days=1))
        assert list(refused(intervention_cancel, intervention=intervention, by=dispatcher,
                            reason="").fields) == ["reason"]
        intervention = intervention_cancel(intervention=intervention, by=dispatcher,
                                           reason="Le client a trouvé la panne.")
        assert intervention.status == IS.CANCELLED
        assert intervention.comments == "Le client a trouvé la panne."
        request_.refresh_from_db()
        assert request_.status == TS.IN_PROGRESS
        # Cancelled is final for the sheet.
        assert refused(intervention_sheet_update, intervention=intervention, by=julie,
                       work_done="x").status_code == 409

    def test_a_signed_intervention_is_not_cancelled(self, intervention, julie, files):
        fill_sheet(intervention, julie)
        sign(intervention, julie, files)
        assert refused(intervention_cancel, intervention=intervention, by=julie,
                       reason="Erreur").status_code == 409

    def test_close_only_done_and_signed(self, request_, dispatcher, julie, files):
        intervention = ticket_convert(ticket=request_, by=dispatcher, technicians=[julie],
                                      planned_start=at(8))
        assert refused(intervention_close, intervention=intervention,
                       by=dispatcher).status_code == 409
        fill_sheet(intervention, julie)
        sign(intervention, julie, files)
        intervention = intervention_close(intervention=intervention, by=dispatcher)
        assert intervention.status == IS.CLOSED
        request_.refresh_from_db()
        assert request_.status == TS.CLOSED and request_.closed_at

    def test_sign_without_rendering(self, intervention, julie, files,
                                    django_capture_on_commit_callbacks):
        fill_sheet(intervention, julie)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            intervention_sign(intervention=intervention, by=julie, signer_name="P. Martin",
                              signature_png=files.signature(), render_report=False)
        assert not callbacks
        intervention.refresh_from_db()
        assert intervention.report is None


# --- Concurrency (PostgreSQL: real row locks) -------------------------------------------------

@pytest.mark.django_db(transaction=True)
class TestConcurrency:
    @pytest.fixture(autouse=True)
    def _postgresql_only(self):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL row locks")

    @staticmethod
    def run_together(count, func):
        import threading

        from django.db import connections

        barrier = threading.Barrier(count)
        results, errors = [], []

        def run():
            try:
                barrier.wait()
                results.append(func())
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        return results

    def test_the_same_request_sent_eight_times_at_once_is_one_ticket(
            self, martin, dupond_company, boiler):
        from portal_api.common.models import NumberSequence

        results = self.run_together(8, lambda: ticket_create(
            client_account=dupond_company, requester=martin, equipment=boiler,
            description="Fuite", idempotency_key="double-tap").pk)
        assert len(set(results)) == 1
        ticket = Ticket.objects.get()
        assert ticket.events.count() == 1
        # The twins gave their number back: no gap in the sequence.
        assert NumberSequence.objects.get(name="ticket").last_value == 1
        assert ticket.number.endswith("-000001")

    def test_the_report_is_stored_once_when_rendered_twice_at_once(self, intervention, julie,
                                                                  files):
        fill_sheet(intervention, julie)
        intervention_sign(intervention=intervention, by=julie, signer_name="Paul Martin",
                          signature_png=files.signature())
        Intervention.objects.filter(pk=intervention.pk).update(report=None)
        Document.objects.all().delete()
        from portal_api.service.services import intervention_report_ensure

        results = self.run_together(3, lambda: intervention_report_ensure(
            intervention=Intervention.objects.get(pk=intervention.pk)).pk)
        assert len(set(results)) == 1
        assert Document.objects.filter(kind=DocumentKind.INTERVENTION_REPORT).count() == 1


class TestInterventionSetStatus:
    """intervention_set_status: the pipeline's moves, each through its service, the request
    following with a step of its timeline."""

    def test_planned_started_done_closed_the_request_following(self, request_, dispatcher,
                                                                 julie, files):
        intervention = ticket_convert(ticket=request_, by=dispatcher)
        assert intervention.status == IS.TO_PLAN
        # Planned only once it has its technicians and start.
        error = refused(intervention_set_status, intervention=intervention, status=IS.PLANNED,
                        by=dispatcher)
        assert set(error.fields) == {"technicians", "planned_start"}
        intervention.technicians.set([julie])
        Intervention.objects.filter(pk=intervention.pk).update(planned_start=at(8, days=1))
        intervention.refresh_from_db()
        intervention_set_status(intervention=intervention, status=IS.PLANNED, by=dispatcher)
        request_.refresh_from_db()
        assert intervention.status == IS.PLANNED and request_.status == TS.PLANNED
        assert "planifiée le" in request_.events.last().message

        intervention_set_status(intervention=intervention, status=IS.IN_PROGRESS, by=julie)
        assert Intervention.objects.get(pk=intervention.pk).status == IS.IN_PROGRESS
        # Done needs a complete sheet, each missing field named.
        error = refused(intervention_set_status, intervention=intervention, status=IS.DONE,
                        by=julie)
        assert set(error.fields) == {"arrival_at", "end_at", "work_done"}
        fill_sheet(intervention, julie)
        intervention_set_status(intervention=intervention, status=IS.DONE, by=julie)
        request_.refresh_from_db()
        assert intervention.status == IS.DONE and request_.status == TS.DONE
        # Unsigned: it is not closed (only cancelled); signed, it is closed, not cancelled.
        assert intervention.allowed_next_statuses() == {IS.CANCELLED}
        assert refused(intervention_set_status, intervention=intervention, status=IS.CLOSED,
                       by=dispatcher).status_code == 409
        sign(intervention, julie, files)
        intervention.refresh_from_db()
        assert intervention.allowed_next_statuses() == {IS.CLOSED}

        intervention_set_status(intervention=intervention, status=IS.CLOSED, by=dispatcher)
        request_.refresh_from_db()
        assert request_.status == TS.CLOSED and request_.closed_at is not None
        assert [status for status, _ in timeline(request_)] == [
            TS.RECEIVED, TS.IN_PROGRESS, TS.PLANNED, TS.DONE, TS.CLOSED]
        assert request_.events.last().actor == dispatcher
        assert intervention.allowed_next_statuses() == frozenset()

    def test_cancelling_asks_the_reason_and_puts_the_request_back(self, request_, dispatcher,
                                                                  julie):
        intervention = ticket_convert(ticket=request_, by=dispatcher, technicians=[julie],
                                      planned_start=at(9, days=1))
        events = request_.events.count()
        error = refused(intervention_set_status, intervention=intervention,
                        status=IS.CANCELLED, by=dispatcher, reason="  ")
        assert error.status_code == 400 and list(error.fields) == ["reason"]
        request_.refresh_from_db()
        assert Intervention.objects.get(pk=intervention.pk).status == IS.PLANNED
        assert request_.status == TS.PLANNED and request_.events.count() == events

        intervention_set_status(intervention=intervention, status=IS.CANCELLED, by=dispatcher,
                                reason="Le client a résolu la panne.")
        request_.refresh_from_db()
        assert intervention.status == IS.CANCELLED
        assert "Le client a résolu la panne." in intervention.comments
        assert request_.status == TS.IN_PROGRESS
        last = request_.events.last()
        assert (last.status, last.actor) == (TS.IN_PROGRESS, dispatcher)
        assert "annulée" in last.message
        # Cancelled goes nowhere.
        error = refused(intervention_set_status, intervention=intervention, status=IS.PLANNED,
                        by=dispatcher)
        assert error.status_code == 409
        assert "« Annulée »" in error.message and "« Planifiée »" in error.message

    def test_a_signed_sheet_is_not_cancelled(self, intervention, julie, dispatcher, files):
        fill_sheet(intervention, julie)
        sign(intervention, julie, files)
        intervention.refresh_from_db()
        assert IS.CANCELLED not in intervention.allowed_next_statuses()
        error = refused(intervention_set_status, intervention=intervention,
                        status=IS.CANCELLED, by=dispatcher, reason="Erreur")
        assert error.status_code == 409
        assert Intervention.objects.get(pk=intervention.pk).status == IS.DONE

    @pytest.mark.parametrize("target", [IS.CLOSED, IS.TO_PLAN, IS.PLANNED])
    def test_moves_not_in_the_pipeline_are_409(self, intervention, dispatcher, target):
        error = refused(intervention_set_status, intervention=intervention, status=target,
                        by=dispatcher)
        assert error.status_code == 409
        assert "« Planifiée »" in error.message
        assert Intervention.objects.get(pk=intervention.pk).status == IS.PLANNED

    def test_an_unknown_status_is_a_400(self, intervention, dispatcher):
        error = refused(intervention_set_status, intervention=intervention, status="perdue",
                        by=dispatcher)
        assert error.status_code == 400 and list(error.fields) == ["status"]


class TestTicketSetStatus:
    def test_taken_in_charge_then_closed_with_the_reason_as_answer(self, request_, dispatcher):
        assert request_.allowed_next_statuses() == {TS.IN_PROGRESS, TS.CLOSED}
        ticket = ticket_set_status(ticket=request_, status=TS.IN_PROGRESS, by=dispatcher)
        assert ticket.status == TS.IN_PROGRESS
        assert timeline(ticket)[-1] == (TS.IN_PROGRESS,
                                        "Demande prise en charge par nos services.")
        assert ticket.allowed_next_statuses() == {TS.CLOSED}
        error = refused(ticket_set_status, ticket=ticket, status=TS.CLOSED, by=dispatcher)
        assert error.status_code == 400 and list(error.fields) == ["reason"]
        ticket = ticket_set_status(ticket=ticket, status=TS.CLOSED, by=dispatcher,
                                   reason="Pièce commandée, nous revenons vers vous.")
        assert ticket.status == TS.CLOSED and ticket.closed_at is not None
        assert ticket.answer == "Pièce commandée, nous revenons vers vous."
        assert ticket.allowed_next_statuses() == frozenset()
        error = refused(ticket_set_status, ticket=ticket, status=TS.IN_PROGRESS, by=dispatcher,
                        reason="x")
        assert error.status_code == 409 and "« Clôturée »" in error.message

    def test_a_converted_request_follows_its_intervention(self, request_, dispatcher, julie):
        ticket_convert(ticket=request_, by=dispatcher, technicians=[julie],
                       planned_start=at(9, days=1))
        request_.refresh_from_db()
        assert request_.allowed_next_statuses() == {TS.CLOSED}
        for target in (TS.DONE, TS.IN_PROGRESS):
            error = refused(ticket_set_status, ticket=request_, status=target, by=dispatcher)
            assert error.status_code == 409 and error.code == "follows_intervention"
        assert Ticket.objects.get(pk=request_.pk).status == TS.PLANNED

    @pytest.mark.parametrize("target", [TS.DONE, TS.RECEIVED])
    def test_moves_not_in_the_pipeline_are_409(self, request_, dispatcher, target):
        error = refused(ticket_set_status, ticket=request_, status=target, by=dispatcher)
        assert error.status_code == 409 and "« Reçue »" in error.message
