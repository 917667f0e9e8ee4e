import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from portal_api.accounts.models import ClientAccount, Contact, Site, User
from portal_api.billing.models import Contract
from portal_api.common.services import number_sequence_next

from .models import Equipment, Intervention, InterventionStatus, Ticket, TicketStatus


@transaction.atomic
def equipment_create(
    *, client_account: ClientAccount, site: Site, serial_number: str, label: str = "",
    brand: str = "", model: str = "", install_date: datetime.date | None = None,
    warranty_end: datetime.date | None = None, contract: Contract | None = None,
) -> Equipment:
    equipment = Equipment(client_account=client_account, site=site, serial_number=serial_number,
                          label=label, brand=brand, model=model, install_date=install_date,
                          warranty_end=warranty_end, contract=contract)
    equipment.full_clean()
    equipment.save()
    return equipment


@transaction.atomic
def ticket_create(
    *, client_account: ClientAccount, requester: User | None, description: str,
    equipment: Equipment | None = None, serial_number_typed: str = "", urgent: bool = False,
    reply_to: Contact | None = None, site: Site | None = None,
) -> Ticket:
    year = timezone.localdate().year
    number = f"DI-{year}-{number_sequence_next(name='ticket', year=year):06d}"
    ticket = Ticket(
        number=number, client_account=client_account, requester=requester,
        description=description, equipment=equipment, serial_number_typed=serial_number_typed,
        site=equipment.site if equipment else site, urgent=urgent, reply_to=reply_to,
    )
    ticket.full_clean()
    ticket.save()
    return ticket


@transaction.atomic
def intervention_create(
    *, client_account: ClientAccount, site: Site, created_by: User | None,
    equipment: Equipment | None = None, description: str = "",
    technicians: Iterable[User] = (), planned_start: datetime.datetime | None = None,
    planned_end: datetime.datetime | None = None, ticket: Ticket | None = None,
) -> Intervention:
    """A new intervention; contract and warranty are proposed from the equipment. Created from
    a ticket, it links to it and the ticket's status follows."""
    year = timezone.localdate().year
    number = f"BI-{year}-{number_sequence_next(name='intervention', year=year):06d}"
    technicians = list(technicians)
    intervention = Intervention(
        number=number, client_account=client_account, site=site, equipment=equipment,
        contract=equipment.contract if equipment else None, description=description,
        planned_start=planned_start, planned_end=planned_end, created_by=created_by,
        # Under warranty on the day of the visit (today when it is not planned yet).
        under_warranty=bool(
            equipment and equipment.warranty_end
            and equipment.warranty_end >= (timezone.localdate(planned_start) if planned_start
                                           else timezone.localdate())
        ),
        status=InterventionStatus.PLANNED if planned_start and technicians
        else InterventionStatus.TO_PLAN,
    )
    intervention.full_clean()
    intervention.save()
    intervention.technicians.set(technicians)
    if ticket is not None:
        ticket.intervention = intervention
        ticket.status = (TicketStatus.PLANNED if intervention.status == InterventionStatus.PLANNED
                         else TicketStatus.IN_PROGRESS)
        ticket.save(update_fields=["intervention", "status", "updated_at"])
    return intervention
