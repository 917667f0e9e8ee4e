import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from portal_api.accounts.factories import SiteFactory, StaffFactory
from portal_api.catalog.factories import ArticleFactory
from portal_api.common.status import status_move

from .models import (
    Equipment,
    Expense,
    ExpenseKind,
    Intervention,
    InterventionLine,
    InterventionStatus,
    MeterReading,
    Ticket,
    TicketEvent,
    TicketStatus,
    TimeEntry,
    TimeEntryKind,
)


class EquipmentFactory(DjangoModelFactory):
    class Meta:
        model = Equipment

    site = factory.SubFactory(SiteFactory)
    client_account = factory.SelfAttribute("site.client_account")
    serial_number = factory.Sequence(lambda n: f"SN-{n:06d}")
    brand = "Viessmann"
    model = "Vitodens 200"


class MeterReadingFactory(DjangoModelFactory):
    class Meta:
        model = MeterReading

    equipment = factory.SubFactory(EquipmentFactory)
    value = Decimal("1000")
    read_at = factory.LazyFunction(timezone.now)


class AnyStatusFactory(DjangoModelFactory):
    """Test data created in any status: inside a status move, as the services would leave it
    (the real moves are the services', see portal_api/common/status.py)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with status_move():
            return super()._create(model_class, *args, **kwargs)


class TicketFactory(AnyStatusFactory):
    """A request as it reaches the Action Center (numbered outside the real sequence:
    use services.ticket_create for the real thing)."""

    class Meta:
        model = Ticket

    number = factory.Sequence(lambda n: f"DI-TEST-{n:06d}")
    site = factory.SubFactory(SiteFactory)
    client_account = factory.SelfAttribute("site.client_account")
    description = "La chaudière ne démarre plus."
    status = TicketStatus.RECEIVED


class TicketEventFactory(DjangoModelFactory):
    class Meta:
        model = TicketEvent

    ticket = factory.SubFactory(TicketFactory)
    status = factory.SelfAttribute("ticket.status")
    message = "Demande reçue."


class InterventionFactory(AnyStatusFactory):
    """An intervention planned today; `technicians=[user, ...]` assigns them."""

    class Meta:
        model = Intervention
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"BI-TEST-{n:06d}")
    site = factory.SubFactory(SiteFactory)
    client_account = factory.SelfAttribute("site.client_account")
    description = "Entretien annuel de la chaudière."
    status = InterventionStatus.PLANNED
    planned_start = factory.LazyFunction(
        lambda: timezone.now().replace(minute=0, second=0, microsecond=0))
    planned_end = factory.LazyAttribute(
        lambda o: o.planned_start + datetime.timedelta(hours=2) if o.planned_start else None)

    @factory.post_generation
    def technicians(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.technicians.set(extracted)


class InterventionLineFactory(DjangoModelFactory):
    class Meta:
        model = InterventionLine

    intervention = factory.SubFactory(InterventionFactory)
    article = factory.SubFactory(ArticleFactory)
    label = factory.SelfAttribute("article.label")
    quantity = Decimal("1")
    unit_price_excl_tax = factory.SelfAttribute("article.price_excl_tax")


class TimeEntryFactory(DjangoModelFactory):
    class Meta:
        model = TimeEntry

    intervention = factory.SubFactory(InterventionFactory)
    technician = factory.SubFactory(StaffFactory)
    kind = TimeEntryKind.WORK
    date = factory.LazyFunction(timezone.localdate)
    hours = Decimal("2")


class ExpenseFactory(DjangoModelFactory):
    class Meta:
        model = Expense

    intervention = factory.SubFactory(InterventionFactory)
    technician = factory.SubFactory(StaffFactory)
    kind = ExpenseKind.MEAL
    date = factory.LazyFunction(timezone.localdate)
    amount = Decimal("15.90")
