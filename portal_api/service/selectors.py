from django.db.models import QuerySet

from portal_api.accounts.models import User
from portal_api.accounts.rules import technician_profile_of
from portal_api.accounts.selectors import scope_to_client

from .models import Equipment, Intervention, Ticket


def equipment_list(*, user: User) -> QuerySet[Equipment]:
    return scope_to_client(
        Equipment.objects.select_related("client_account", "site", "contract"), user=user
    )


def ticket_list(*, user: User) -> QuerySet[Ticket]:
    return scope_to_client(
        Ticket.objects.select_related("client_account", "equipment", "site", "requester"),
        user=user,
    )


def intervention_list(*, user: User) -> QuerySet[Intervention]:
    qs = scope_to_client(
        Intervention.objects.select_related("client_account", "site", "equipment", "contract"),
        user=user,
    )
    technician = technician_profile_of(user)
    if technician is not None and not technician.can_see_all_interventions:
        qs = qs.filter(technicians=user)
    return qs


def equipment_intervention_list(*, user: User, equipment: Equipment) -> QuerySet[Intervention]:
    """The interventions done on one piece of equipment, as far as the user may see them."""
    return (intervention_list(user=user).filter(equipment=equipment)
            .order_by("-planned_start", "-id"))
